import { readFileSync } from 'fs';
import { join } from 'path';
import {
  checkResidentId,
  checkUscc,
  maskPersonName,
  maskResidentId,
  maskUscc,
  type IdCheck,
} from '../../src/domain/identifiers';

/*
 * Check characters below were computed by hand and written out in the comments so that the
 * tests do not re-implement the algorithm under test.
 *
 * USCC (GB 32100-2015): value(c) = index in '0123456789ABCDEFGHJKLMNPQRTUWXY'
 *   (0-9 → 0-9, A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24 R25 T26 U27 W28 X29 Y30)
 *   weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28; check = (31 − Σ mod 31) mod 31.
 *   Terms with value 0 are omitted from the sums.
 *
 * Resident ID (GB 11643-1999): weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2;
 *   check = '10X98765432'[Σ mod 11]. Terms with digit 0 are omitted.
 */

const TODAY = '2026-05-16';

function expectOk(result: IdCheck, value: string): void {
  expect(result).toEqual({ ok: true, value });
}

function expectFail(result: IdCheck, rule: string, message: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.rule).toBe(rule);
  expect(result.message).toMatch(message);
}

describe('checkUscc (GB 32100-2015)', () => {
  it.each([
    // Σ=9·1+1·3+3·9+5·27+1·26+M(21)·20+1·8+Y(30)·30+4·28=1640; 1640 mod 31=28; 31−28=3 → '3'
    ['91350100M000100Y43', 'well-known example, letters in organisation code'],
    // Σ=9·1+1·3+1·9+1·27+8·20+2·25+1·13+4·10+3·30+3·28=485; 485 mod 31=20; 31−20=11 → 'B'
    ['91110000802100433B', 'well-known example, letter check character'],
    // Σ=9·1+1·3+4·9+4·27+3·26+7·20+8·25+4·13+6·8+1·24+1·10+3·30+6·28=966; 966 mod 31=5; 31−5=26 → 'T' (skips S)
    ['91440300708461136T', 'check value 26 → T'],
    // Σ=9·1+1·3+1·9+1·27+1·20+2·29+3·25+4·13+5·8+6·24+7·10+8·30+1·28=775=25·31; 775 mod 31=0; (31−0) mod 31=0 → '0'
    ['911100001234567810', "check character '0'"],
    // Σ=Y(30)·1+1·3+1·9+1·27+1·26+5·17+1·20+2·29+3·25+4·13+5·8+6·24+7·10+8·30+E(14)·28=1271=41·31 → '0'
    ['Y111010512345678E0', "registration authority 'Y' and check character '0'"],
    // Σ=Y(30)·1+1·3+1·9+1·27+1·26+5·17+M(21)·20+B(11)·29+Y(30)·13+1·8+2·24+3·10+4·30+5·28=1655; 1655 mod 31=12; 31−12=19 → 'K' (skips I)
    ['Y1110105MB0Y12345K', "registration authority 'Y', letters in organisation code"],
    // Σ=N(22)·1+2·3+3·9+3·27+1·26+6·17+M(21)·20+J(18)·29+1·25+2·13+3·8+4·24+5·10+6·30+7·28=1803; 1803 mod 31=5; 31−5=26 → 'T'
    ['N2330106MJ1234567T', "registration authority 'N'"],
    // Σ=A(10)·1+1·3+1·9+1·27+M(21)·20+A(10)·29+1·13+A(10)·8+B(11)·24+2·10+C(12)·30+3·28=1580; 1580 mod 31=30; 31−30=1 → '1'
    ['A1110000MA01AB2C31', "registration authority 'A'"],
    // Σ=3·1+1·3+1·9+1·27+E(14)·20+1·29+2·25+3·13+4·8+5·24+6·10+7·30+8·28=1086; 1086 mod 31=1; 31−1=30 → 'Y'
    ['31110000E12345678Y', 'check value 30 → Y (last alphabet character)'],
    // Σ=5·1+3·3+1·9+5·20+2·8+1·24+6·10+7·30+6·28=601; 601 mod 31=12; 31−12=19 → 'K'
    ['53100000500021676K', 'civil-affairs registration (authority 5)'],
    // Σ=9·1+1·3+4·9+4·27+3·26+7·20+1·29+5·25+2·13+6·8+7·24+2·10+6·30+M(21)·28=1558; 1558 mod 31=8; 31−8=23 → 'P' (skips O)
    ['9144030071526726MP', 'check value 23 → P'],
    // Σ=9·1+1·3+3·9+2·27+1·20+3·29+4·25+7·13+9·8+2·24+1·10+2·30+H(17)·28=1057; 1057 mod 31=3; 31−3=28 → 'W' (skips V)
    ['9132000013479212HW', 'check value 28 → W'],
  ])('accepts %s (%s)', (code) => {
    expectOk(checkUscc(code), code);
  });

  it.each([
    ['91350100M000100Y44', '4', '3'],
    ['91110000802100433A', 'A', 'B'],
    ['911100001234567811', '1', '0'],
    ['Y111010512345678EY', 'Y', '0'],
    // single-character typo in the body (position 13: 1 → 2):
    // Σ=9·1+1·3+3·9+5·27+1·26+M(21)·20+2·8+Y(30)·30+4·28=1648; 1648 mod 31=5; 31−5=26 → 'T'
    ['91350100M000200Y43', '3', 'T'],
  ])('rejects %s: check character %s, expected %s', (code, actual, expected) => {
    expectFail(
      checkUscc(code),
      'GB 32100-2015 check character',
      new RegExp(`position 18\\) is '${actual}', expected '${expected}'`),
    );
  });

  it.each(['91350100M000100Y43', '91110000802100433B', '911100001234567810', 'Y111010512345678E0'])(
    'rejects %s with every other check character',
    (code) => {
      const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
      for (const c of alphabet) {
        if (c === code[17]) continue;
        const result = checkUscc(code.slice(0, 17) + c);
        expect(result).toMatchObject({ ok: false, rule: 'GB 32100-2015 check character' });
      }
    },
  );

  it.each([
    ['', 0],
    ['91350100M000100Y4', 17],
    ['91350100M000100Y433', 19],
    [' 91350100M000100Y43', 19], // not trimmed
    ['110108000000016', 15], // old 15-digit business registration number
  ])('rejects %j: length %i', (code, length) => {
    expectFail(checkUscc(code), 'GB 32100-2015 length', new RegExp(`exactly 18 characters long, got ${length}$`));
  });

  it.each([
    ['91350100I000100Y43', 9, 'I'],
    ['91350100M0O0100Y43', 11, 'O'],
    ['91350100M000100S43', 16, 'S'],
    ['91350100MV00100Y43', 10, 'V'],
    ['91350100M000100Y4Z', 18, 'Z'],
    ['Z1350100M000100Y43', 1, 'Z'],
  ])('rejects forbidden letter in %s (position %i: %s)', (code, position, letter) => {
    expectFail(
      checkUscc(code),
      'GB 32100-2015 alphabet',
      new RegExp(`position ${position}: character '${letter}' is not allowed \\(the letters I, O, S, V and Z are excluded\\)`),
    );
  });

  it.each([
    ['91350100M000100Y4-', 18, "'-'"],
    ['91350100M000100Y4\u4e00', 18, '"\u4e00" \\(U\\+4E00\\)'], // CJK character
    ['9135010 M000100Y43', 8, '" " \\(U\\+0020\\)'], // embedded space
  ])('rejects other non-alphabet characters in %j (position %i)', (code, position, shown) => {
    expectFail(checkUscc(code), 'GB 32100-2015 alphabet', new RegExp(`position ${position}: character ${shown} is not allowed`));
  });

  it.each([
    ['91350100m000100Y43', 9, "lowercase 'm' \\(use 'M'\\)"],
    ['91110000802100433b', 18, "lowercase 'b' \\(use 'B'\\)"],
    ['y111010512345678E0', 1, "lowercase 'y' \\(use 'Y'\\)"],
    ['91350100i000100Y43', 9, "lowercase 'i' \\(and 'I' is not in the alphabet either\\)"],
  ])('rejects lowercase in %s (position %i) saying it must be uppercase', (code, position, detail) => {
    expectFail(
      checkUscc(code),
      'GB 32100-2015 uppercase',
      new RegExp(`must be uppercase: position ${position} is ${detail}`),
    );
  });

  it('accepts the uppercased form of a lowercase input (callers may normalise themselves)', () => {
    expectOk(checkUscc('91350100m000100y43'.toUpperCase()), '91350100M000100Y43');
  });

  it.each([
    // Σ=1·3+1·9+1·27+8·20+2·25+1·13+4·10+3·30+3·28=476; 476 mod 31=11; 31−11=20 → 'L' (checksum is right)
    ['01110000802100433L', '0'],
    // Σ=B(11)·1+1·3+1·9+1·27+8·20+2·25+1·13+4·10+3·30+3·28=487; 487 mod 31=22; 31−22=9 → '9' (checksum is right)
    ['B11100008021004339', 'B'],
  ])('rejects %s: %s is not a registration authority code', (code, authority) => {
    expectFail(
      checkUscc(code),
      'GB 32100-2015 registration authority code',
      new RegExp(`position 1 \\(registration authority code\\) is '${authority}'; expected one of 1-9, A, N, Y`),
    );
  });

  // Σ=9·1+1·3+3·9+5·27+1·26+A(10)·17+M(21)·20+1·8+Y(30)·30+4·28=1810; 1810 mod 31=12; 31−12=19 → 'K' (checksum is right)
  it('rejects a letter in the administrative division code (positions 3-8)', () => {
    expectFail(
      checkUscc('9135010AM000100Y4K'),
      'GB 32100-2015 administrative division code',
      /position 8 is 'A'; positions 3-8 \(administrative division code\) must be digits/,
    );
  });

  it('does not enforce the GB 11714 organisation-code check digit (position 17)', () => {
    // 911100001234567810 has an arbitrary organisation code "12345678" + "1" and is accepted
    // because only the GB 32100 check (position 18) is enforced.
    expect(checkUscc('911100001234567810').ok).toBe(true);
  });

  it.each([undefined, null, 12345])('returns a failure (does not throw) for non-string %p', (input) => {
    expectFail(checkUscc(input as unknown as string), 'GB 32100-2015 input type', /must be a string/);
  });
});

describe('checkResidentId (GB 11643-1999)', () => {
  it.each([
    // Σ=1·7+1·9+1·5+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+2·2=167; 167 mod 11=2 → 'X'
    ['11010519491231002X', 'well-known example, check X'],
    // Σ=1·7+1·9+1·5+5·4+1·2+9·1+9·6+1·9+1·5+1·2=122; 122 mod 11=1 → '0'
    ['110105199001010010', "check character '0'"],
    // Σ=1·7+1·9+1·5+5·4+2·2+2·9+2·10+9·5+1·8+2·4+3·2=150; 150 mod 11=7 → '5'
    ['110105200002291235', '2000-02-29 (2000 is a leap year)'],
    // Σ=4·7+4·9+3·5+5·4+2·2+2·6+4·3+2·9+2·10+9·5+5·8+6·4+7·2=288; 288 mod 11=2 → 'X'
    ['44030520240229567X', '2024-02-29'],
    // Σ=1·7+1·9+1·5+5·4+1·2+9·1+1·9+1·5+1·2=68; 68 mod 11=2 → 'X'
    ['11010519000101001X', 'earliest allowed birth date 1900-01-01'],
    // Σ=1·7+1·9+1·5+5·4+2·2+2·6+6·3+5·9+1·10+6·5+1·8+2·4+3·2=182; 182 mod 11=6 → '6'
    ['110105202605161236', 'born today'],
  ])('accepts %s (%s)', (id) => {
    expectOk(checkResidentId(id, TODAY), id);
  });

  // Every residue 0..10 of the check table '10X98765432'. Body 32010619850716 00k (born 1985-07-16):
  // Σ = 3·7+2·9+1·5+6·4+1·2+9·1+8·6+5·3+7·9+1·10+6·5 + k·2 = 245 + 2k   (245 = 22·11 + 3)
  it.each([
    ['320106198507160041', 0, 'k=4: 253 mod 11=0 → 1'],
    ['320106198507160180', 1, '…0180: 245+1·4+8·2=265; 265 mod 11=1 → 0'],
    ['32010619850716005X', 2, 'k=5: 255 mod 11=2 → X'],
    ['320106198507160009', 3, 'k=0: 245 mod 11=3 → 9'],
    ['320106198507160068', 4, 'k=6: 257 mod 11=4 → 8'],
    ['320106198507160017', 5, 'k=1: 247 mod 11=5 → 7'],
    ['320106198507160076', 6, 'k=7: 259 mod 11=6 → 6'],
    ['320106198507160025', 7, 'k=2: 249 mod 11=7 → 5'],
    ['320106198507160084', 8, 'k=8: 261 mod 11=8 → 4'],
    ['320106198507160033', 9, 'k=3: 251 mod 11=9 → 3'],
    ['320106198507160092', 10, 'k=9: 263 mod 11=10 → 2'],
  ])('accepts %s (Σ mod 11 = %i; %s)', (id) => {
    expectOk(checkResidentId(id, TODAY), id);
  });

  it("accepts lowercase 'x' as check character and normalises it to 'X'", () => {
    expectOk(checkResidentId('11010519491231002x', TODAY), '11010519491231002X');
  });

  it('still validates the check character after normalising lowercase x', () => {
    // Σ for 11010519900101001 is 122 → expected '0', so 'x' (→ 'X') is wrong
    expectFail(
      checkResidentId('11010519900101001x', TODAY),
      'GB 11643-1999 check character',
      /position 18\) is 'x', expected '0'/,
    );
  });

  it.each([
    ['110105194912310021', '1', 'X'],
    ['110105199001010011', '1', '0'],
    ['11010519900101001X', 'X', '0'],
    // typo in the sequence number (position 17: 2 → 3):
    // Σ=1·7+1·9+1·5+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+3·2=169; 169 mod 11=4 → '8'
    ['11010519491231003X', 'X', '8'],
  ])('rejects %s: check character %s, expected %s', (id, actual, expected) => {
    expectFail(
      checkResidentId(id, TODAY),
      'GB 11643-1999 check character',
      new RegExp(`position 18\\) is '${actual}', expected '${expected}'`),
    );
  });

  it.each([
    ['', 0],
    ['110105491231002', 15], // first-generation 15-digit number
    ['11010519491231002', 17],
    ['11010519491231002X0', 19],
    ['11010519491231002X ', 19], // not trimmed
  ])('rejects %j: length %i', (id, length) => {
    expectFail(
      checkResidentId(id, TODAY),
      'GB 11643-1999 length',
      new RegExp(`exactly 18 characters long, got ${length}$`),
    );
  });

  it.each([
    ['A1010519491231002X', 1, "'A'"],
    ['1101051949123100X2', 17, "'X'"],
    ['1101051949123100x2', 17, "'x'"],
    ['110105 9491231002X', 7, '" " \\(U\\+0020\\)'],
    ['１10105194912310020', 1, '"１" \\(U\\+FF11\\)'], // full-width digit one
  ])('rejects non-digit in %j at position %i', (id, position, shown) => {
    expectFail(
      checkResidentId(id, TODAY),
      'GB 11643-1999 digits',
      new RegExp(`position ${position}: character ${shown} is not allowed; positions 1-17 must be digits`),
    );
  });

  it.each([['11010519491231002Y'], ['11010519491231002*']])('rejects %s: check character not a digit or X', (id) => {
    expectFail(checkResidentId(id, TODAY), 'GB 11643-1999 digits', /position 18: .* must be a digit or 'X'/);
  });

  it.each([
    // Σ=1·7+1·9+1·5+5·4+1·2+9·1+9·6+9·3+2·9+3·10+1·8+2·4+3·2=203; 203 mod 11=5 → '7'
    ['110105199902301237', /'19990230' is not a calendar date: day 30 does not exist in 1999-02 \(which has 28 days\)/],
    // Σ=1·7+1·9+1·5+5·4+2·2+2·6+3·3+1·7+3·9+1·5+1·8+2·4+3·2=127; 127 mod 11=6 → '6'
    ['110105202313011236', /'20231301' is not a calendar date: month 13 does not exist/],
    // Σ=1·7+1·9+1·5+5·4+2·2+2·6+3·3+2·9+2·10+9·5+1·8+2·4+3·2=171; 171 mod 11=6 → '6'
    ['110105202302291236', /day 29 does not exist in 2023-02 \(which has 28 days\)/],
    // Σ=1·7+1·9+1·5+5·4+1·2+9·1+2·9+2·10+9·5+1·8+2·4+3·2=157; 157 mod 11=3 → '9' (1900 is not a leap year)
    ['110105190002291239', /day 29 does not exist in 1900-02 \(which has 28 days\)/],
    // Σ=1·7+1·9+1·5+5·4+2·2+2·6+3·3+4·9+3·10+1·5+1·8+2·4+3·2=159; 159 mod 11=5 → '7'
    ['110105202304311237', /day 31 does not exist in 2023-04 \(which has 30 days\)/],
    // Σ=1·7+1·9+1·5+5·4+2·2+2·6+3·3+1·9+1·8+2·4+3·2=97; 97 mod 11=9 → '3'
    ['110105202301001233', /day 00 does not exist in 2023-01/],
    // Σ=1·7+1·9+1·5+5·4+1·2+9·1+4·6+9·3+1·7+3·9+2·10+1·5+2·2=166; 166 mod 11=1 → '0'
    ['110105194913210020', /month 13 does not exist/],
    // Σ=1·7+1·9+1·5+5·4+1·2+8·1+9·6+9·3+1·7+2·9+3·10+1·5+1·8+2·4+3·2=214; 214 mod 11=5 → '7'
    ['110105189912311237', /1899-12-31 is before 1900-01-01/],
    // Σ=1·7+1·9+1·5+5·4+2·2+2·6+6·3+5·9+1·10+7·5+1·8+2·4+3·2=187; 187 mod 11=0 → '1'
    ['110105202605171231', /2026-05-17 is in the future \(today is 2026-05-16\)/],
    // Σ=1·7+1·9+1·5+5·4+2·2+3·6+1·9+1·5+1·8+2·4+3·2=99; 99 mod 11=0 → '1'
    ['110105203001011231', /2030-01-01 is in the future \(today is 2026-05-16\)/],
  ])('rejects %s: impossible / out-of-range birth date (checksum is correct)', (id, message) => {
    expectFail(checkResidentId(id, TODAY), 'GB 11643-1999 birth date', message);
  });

  it('uses only the passed-in today (no clock reads): tomorrow becomes valid a day later', () => {
    expect(checkResidentId('110105202605171231', '2026-05-16').ok).toBe(false);
    expectOk(checkResidentId('110105202605171231', '2026-05-17'), '110105202605171231');
  });

  it.each(['2026-02-30', '20260516', '2026-5-16', '', '2026-13-01'])(
    'throws RangeError for an invalid today argument %j',
    (today) => {
      expect(() => checkResidentId('11010519491231002X', today)).toThrow(RangeError);
    },
  );

  it.each([undefined, null, 12345])('returns a failure (does not throw) for non-string %p', (input) => {
    expectFail(checkResidentId(input as unknown as string, TODAY), 'GB 11643-1999 input type', /must be a string/);
  });
});

describe('masking', () => {
  it.each([
    ['91350100M000100Y43', '91************0Y43'],
    ['91110000802100433B', '91************433B'],
    ['Y111010512345678E0', 'Y1************78E0'],
  ])('maskUscc(%s) = %s (first 2 + last 4 kept, same length)', (input, masked) => {
    expect(maskUscc(input)).toBe(masked);
    expect(maskUscc(input)).toHaveLength(input.length);
  });

  it.each([
    ['11010519491231002X', '110105********002X'],
    ['110105200002291235', '110105********1235'],
  ])('maskResidentId(%s) = %s (birth date hidden, same length)', (input, masked) => {
    expect(maskResidentId(input)).toBe(masked);
    expect(maskResidentId(input)).toHaveLength(input.length);
    expect(maskResidentId(input)).not.toContain(input.slice(6, 14));
  });

  it.each([
    ['', ''],
    ['9135', '****'],
    ['913501', '******'],
    ['9135010', '91*5010'],
  ])('maskUscc on short input %j never returns it unmasked', (input, masked) => {
    expect(maskUscc(input)).toBe(masked);
  });

  it.each([
    ['', ''],
    ['1101051949', '**********'],
    ['11010519491', '110105*9491'],
  ])('maskResidentId on short input %j never returns it unmasked', (input, masked) => {
    expect(maskResidentId(input)).toBe(masked);
  });

  it.each([
    ['张三', '张*'],
    ['张三丰', '张**'],
    ['欧阳娜娜', '欧***'],
    ['张', '*'],
    [' 王五 ', '王*'],
    ['𠮷野家', '𠮷**'], // CJK Extension B (surrogate pair) not split
    ['阿沛·阿旺晋美', '阿******'],
    ['John Smith', 'J***'],
    ['Li', 'L***'],
    ['Zoë', 'Z***'],
    ['A', '*'],
    ['', ''],
    ['   ', ''],
  ])('maskPersonName(%j) = %j', (input, masked) => {
    expect(maskPersonName(input)).toBe(masked);
  });
});

describe('module constraints', () => {
  it('has no imports (safe for the Temporal workflow sandbox)', () => {
    const source = readFileSync(join(__dirname, '../../src/domain/identifiers.ts'), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\s*\(/);
    expect(source).not.toMatch(/\bDate\b|\bprocess\b/);
  });
});
