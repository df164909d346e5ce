/**
 * Validation and masking of Chinese identifiers.
 *
 * Pure TypeScript: no Node built-ins, no dependencies, no clock reads. Safe to import from
 * Temporal workflow code (deterministic sandbox).
 *
 * - Unified social credit code (统一社会信用代码), GB 32100-2015.
 * - Resident identity number (公民身份号码), GB 11643-1999.
 */

export type IdCheck = { ok: true; value: string } | { ok: false; rule: string; message: string; messageZh: string };

// ---------------------------------------------------------------------------------------------
// Unified social credit code — GB 32100-2015
// ---------------------------------------------------------------------------------------------

/** The 31-character code alphabet; a character's index is its numeric value (0–30). No I, O, S, V, Z. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights for positions 1–17 (3^(i-1) mod 31). */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_LENGTH = 18;
/** Registration authority codes (position 1): 1–9, A, N, Y. */
const USCC_REGISTRATION_AUTHORITIES = '123456789ANY';

const USCC_RULE = {
  type: 'GB 32100-2015 input type',
  length: 'GB 32100-2015 length',
  uppercase: 'GB 32100-2015 uppercase',
  alphabet: 'GB 32100-2015 alphabet',
  registrationAuthority: 'GB 32100-2015 registration authority code',
  division: 'GB 32100-2015 administrative division code',
  check: 'GB 32100-2015 check character',
} as const;

/** Computes the GB 32100-2015 check character (position 18) for the first 17 characters. */
function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * Validates a unified social credit code.
 *
 * Enforced: length 18; uppercase only; every character in the GB 32100 alphabet; position 1 is a
 * registration authority code (1–9, A, N, Y); positions 3–8 (administrative division) are digits;
 * position 18 is the GB 32100-2015 check character.
 *
 * Deliberately NOT enforced: the GB 11714 check digit of the embedded organisation code
 * (position 17), and the authority-specific list of organisation category codes (position 2).
 *
 * Input is not trimmed: whitespace is rejected (as a length or alphabet error).
 */
export function checkUscc(input: string): IdCheck {
  if (typeof input !== 'string') {
    return fail(USCC_RULE.type, `USCC must be a string, got ${describeType(input)}`, `统一社会信用代码须为字符串，收到的是 ${describeType(input)}`);
  }
  const chars = Array.from(input);
  if (chars.length !== USCC_LENGTH) {
    return fail(USCC_RULE.length, `USCC must be exactly ${USCC_LENGTH} characters long, got ${chars.length}`, `统一社会信用代码须为 ${USCC_LENGTH} 位，收到 ${chars.length} 位`);
  }

  const lowercaseAt = chars.findIndex((c) => c >= 'a' && c <= 'z');
  if (lowercaseAt >= 0) {
    const c = chars[lowercaseAt];
    const upper = c.toUpperCase();
    return fail(
      USCC_RULE.uppercase,
      `USCC must be uppercase: position ${lowercaseAt + 1} is lowercase '${c}'` +
        (USCC_ALPHABET.includes(upper) ? ` (use '${upper}')` : ` (and '${upper}' is not in the alphabet either)`),
      `统一社会信用代码须为大写：第 ${lowercaseAt + 1} 位是小写 '${c}'` + (USCC_ALPHABET.includes(upper) ? `（应为 '${upper}'）` : `（'${upper}' 也不是可用字符）`),
    );
  }

  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c.length !== 1 || !USCC_ALPHABET.includes(c)) {
      const forbiddenLetter = c.length === 1 && 'IOSVZ'.includes(c);
      return fail(
        USCC_RULE.alphabet,
        `USCC position ${i + 1}: character ${quote(c)} is not allowed` +
          (forbiddenLetter ? ` (the letters I, O, S, V and Z are excluded)` : '') +
          `; allowed characters are ${USCC_ALPHABET}`,
        `统一社会信用代码第 ${i + 1} 位：字符 ${quote(c)} 不可用` + (forbiddenLetter ? '（不使用字母 I、O、S、V、Z）' : '') + `；可用字符为 ${USCC_ALPHABET}`,
      );
    }
  }

  if (!USCC_REGISTRATION_AUTHORITIES.includes(chars[0])) {
    return fail(
      USCC_RULE.registrationAuthority,
      `USCC position 1 (registration authority code) is '${chars[0]}'; expected one of 1-9, A, N, Y`,
      `统一社会信用代码第 1 位（登记管理部门代码）是 '${chars[0]}'，应为 1-9、A、N、Y 之一`,
    );
  }

  for (let i = 2; i < 8; i++) {
    if (!isAsciiDigit(chars[i])) {
      return fail(
        USCC_RULE.division,
        `USCC position ${i + 1} is '${chars[i]}'; positions 3-8 (administrative division code) must be digits`,
        `统一社会信用代码第 ${i + 1} 位是 '${chars[i]}'；第 3-8 位（登记管理机关行政区划码）须为数字`,
      );
    }
  }

  const expected = usccCheckCharacter(input.slice(0, 17));
  if (chars[17] !== expected) {
    return fail(
      USCC_RULE.check,
      `USCC check character (position 18) is '${chars[17]}', expected '${expected}'`,
      `统一社会信用代码校验码（第 18 位）是 '${chars[17]}'，应为 '${expected}'`,
    );
  }
  return { ok: true, value: input };
}

// ---------------------------------------------------------------------------------------------
// Resident identity number — GB 11643-1999
// ---------------------------------------------------------------------------------------------

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK_CHARS = '10X98765432';
const RESIDENT_ID_LENGTH = 18;
const EARLIEST_BIRTH_DATE = '1900-01-01';

const RESIDENT_ID_RULE = {
  type: 'GB 11643-1999 input type',
  length: 'GB 11643-1999 length',
  digits: 'GB 11643-1999 digits',
  birthDate: 'GB 11643-1999 birth date',
  check: 'GB 11643-1999 check character',
} as const;

/** Computes the GB 11643-1999 check character (position 18) for the first 17 digits. */
function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += (first17.charCodeAt(i) - 48) * RESIDENT_ID_WEIGHTS[i];
  }
  return RESIDENT_ID_CHECK_CHARS[sum % 11];
}

/**
 * Validates an 18-character resident identity number.
 *
 * Positions 1–17 must be digits; position 18 is a digit or 'X'. A lowercase 'x' at position 18 is
 * ACCEPTED and normalised to 'X' in the returned `value`.
 *
 * Digits 7–14 are the birth date YYYYMMDD: it must be a real calendar date, not before 1900-01-01
 * and not after `today`.
 *
 * @param today the caller's current date as 'YYYY-MM-DD' (the function never reads the clock).
 * @throws RangeError if `today` is not a valid 'YYYY-MM-DD' calendar date (a programming error,
 *         not an input error).
 */
export function checkResidentId(input: string, today: string): IdCheck {
  if (!isIsoCalendarDate(today)) {
    throw new RangeError(`checkResidentId: 'today' must be a valid 'YYYY-MM-DD' date, got ${JSON.stringify(today)}`);
  }
  if (typeof input !== 'string') {
    return fail(RESIDENT_ID_RULE.type, `Resident ID must be a string, got ${describeType(input)}`, `公民身份号码须为字符串，收到的是 ${describeType(input)}`);
  }
  const chars = Array.from(input);
  if (chars.length !== RESIDENT_ID_LENGTH) {
    return fail(
      RESIDENT_ID_RULE.length,
      `Resident ID must be exactly ${RESIDENT_ID_LENGTH} characters long, got ${chars.length}`,
      `公民身份号码须为 ${RESIDENT_ID_LENGTH} 位，收到 ${chars.length} 位`,
    );
  }

  for (let i = 0; i < 17; i++) {
    if (!isAsciiDigit(chars[i])) {
      return fail(
        RESIDENT_ID_RULE.digits,
        `Resident ID position ${i + 1}: character ${quote(chars[i])} is not allowed; positions 1-17 must be digits`,
        `公民身份号码第 ${i + 1} 位：字符 ${quote(chars[i])} 不可用；第 1-17 位须为数字`,
      );
    }
  }
  const last = chars[17] === 'x' ? 'X' : chars[17];
  if (!isAsciiDigit(last) && last !== 'X') {
    return fail(
      RESIDENT_ID_RULE.digits,
      `Resident ID position 18: character ${quote(chars[17])} is not allowed; the check character must be a digit or 'X'`,
      `公民身份号码第 18 位：字符 ${quote(chars[17])} 不可用；校验码须为数字或 'X'`,
    );
  }
  const value = input.slice(0, 17) + last;

  const birth = value.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  const month = Number(birth.slice(4, 6));
  const day = Number(birth.slice(6, 8));
  if (month < 1 || month > 12) {
    return fail(
      RESIDENT_ID_RULE.birthDate,
      `Resident ID birth date (positions 7-14) '${birth}' is not a calendar date: month ${birth.slice(4, 6)} does not exist`,
      `公民身份号码出生日期（第 7-14 位）'${birth}' 不是真实日期：没有 ${birth.slice(4, 6)} 月`,
    );
  }
  const dim = daysInMonth(year, month);
  if (day < 1 || day > dim) {
    return fail(
      RESIDENT_ID_RULE.birthDate,
      `Resident ID birth date (positions 7-14) '${birth}' is not a calendar date: ` +
        `day ${birth.slice(6, 8)} does not exist in ${birth.slice(0, 4)}-${birth.slice(4, 6)} (which has ${dim} days)`,
      `公民身份号码出生日期（第 7-14 位）'${birth}' 不是真实日期：${birth.slice(0, 4)} 年 ${Number(birth.slice(4, 6))} 月只有 ${dim} 天`,
    );
  }
  const birthIso = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  // Fixed-width ISO dates compare correctly as strings.
  if (birthIso < EARLIEST_BIRTH_DATE) {
    return fail(
      RESIDENT_ID_RULE.birthDate,
      `Resident ID birth date (positions 7-14) ${birthIso} is before ${EARLIEST_BIRTH_DATE}`,
      `公民身份号码出生日期（第 7-14 位）${birthIso} 早于 ${EARLIEST_BIRTH_DATE}`,
    );
  }
  if (birthIso > today) {
    return fail(
      RESIDENT_ID_RULE.birthDate,
      `Resident ID birth date (positions 7-14) ${birthIso} is in the future (today is ${today})`,
      `公民身份号码出生日期（第 7-14 位）${birthIso} 晚于今天（${today}）`,
    );
  }

  const expected = residentIdCheckCharacter(value.slice(0, 17));
  if (last !== expected) {
    return fail(
      RESIDENT_ID_RULE.check,
      `Resident ID check character (position 18) is '${chars[17]}', expected '${expected}'`,
      `公民身份号码校验码（第 18 位）是 '${chars[17]}'，应为 '${expected}'`,
    );
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// Masking
// ---------------------------------------------------------------------------------------------

/** Keeps the first 2 and last 4 characters, replaces the rest with '*' (same length). */
export function maskUscc(value: string): string {
  return maskMiddle(value, 2, 4);
}

/** Keeps the first 6 (region) and last 4 characters, masks the birth date etc. with '*' (same length). */
export function maskResidentId(value: string): string {
  return maskMiddle(value, 6, 4);
}

/**
 * Masks a person's name.
 * - Chinese (first character is Han): keep the first character, one '*' per remaining character
 *   ('张三丰' → '张**').
 * - Any other script (e.g. Latin): first letter + '***', regardless of length ('Smith' → 'S***').
 * - A single-character name (any script) → '*'. Empty / whitespace-only → ''.
 * Leading/trailing whitespace is ignored. Counts Unicode code points, so CJK Extension B
 * characters (surrogate pairs) are never split.
 */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (/^\p{Script=Han}$/u.test(chars[0])) {
    return chars[0] + '*'.repeat(chars.length - 1);
  }
  return chars[0] + '***';
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * Keeps `head` leading and `tail` trailing code points and replaces everything in between with
 * '*'. If the value is too short to hide at least one character that way, everything is masked.
 */
function maskMiddle(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

function fail(rule: string, message: string, messageZh: string): IdCheck {
  return { ok: false, rule, message, messageZh };
}

function isAsciiDigit(c: string): boolean {
  return c.length === 1 && c >= '0' && c <= '9';
}

/** Quotes a character for a message; anything other than visible ASCII also gets its code point. */
function quote(c: string): string {
  if (/^[\x21-\x7e]$/.test(c)) return `'${c}'`;
  const cp = c.codePointAt(0) ?? 0;
  return `${JSON.stringify(c)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

function describeType(v: unknown): string {
  return v === null ? 'null' : typeof v;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isIsoCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}
