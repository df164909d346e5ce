// The part of lunar-javascript 1.7.7 the provisional calendar uses (src/domain/fixed-holidays.ts); it ships no types.
declare module 'lunar-javascript' {
  export class Solar {
    static fromYmd(year: number, month: number, day: number): Solar;
    next(days: number): Solar;
    toYmd(): string;
    getLunar(): Lunar;
  }
  export class Lunar {
    static fromYmd(year: number, month: number, day: number): Lunar;
    getSolar(): Solar;
    getJieQiTable(): Record<string, Solar>;
  }
}
