import { checkUscc } from '../../src/domain/identifiers';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid unified social credit code (GB 32100-2015) with a random body, so a test's subject is its own in credit_records. */
export function uniqueUscc(): string {
  let body = '91230100';
  while (body.length < 17) body += USCC_ALPHABET[Math.floor(Math.random() * USCC_ALPHABET.length)];
  const sum = [...body].reduce((s, c, i) => s + USCC_ALPHABET.indexOf(c) * USCC_WEIGHTS[i], 0);
  const code = body + USCC_ALPHABET[(31 - (sum % 31)) % 31];
  if (!checkUscc(code).ok) throw new Error(`generated an invalid USCC ${code}`);
  return code;
}

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid resident ID (GB 11643-1999): a Beijing area code, a random birth date in 1950–1999 and sequence, its check character. */
export function uniqueResidentId(): string {
  const birth = new Date(Date.UTC(1950 + Math.floor(Math.random() * 50), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)));
  const body = `110105${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * RESIDENT_ID_WEIGHTS[i], 0);
  return body + '10X98765432'[sum % 11];
}
