import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import type { PayloadKeyRing } from './payload-codec';

/**
 * Encryption of the subject's name and identifier in PostgreSQL, with the keys of PAYLOAD_ENCRYPTION_KEYS, and keyed
 * hashes to find a subject by exact name or identifier without storing either in clear (decision 0021).
 *
 * Each ring key yields its own derived keys (HKDF, one per purpose), so the bytes that encrypt Temporal payloads
 * never encrypt anything else. A sealed value names its suite and key id: it opens under any key of the ring and
 * either suite, whichever the setting chooses for new values.
 */

export const PERSONAL_DATA_CIPHER_SETTING = 'PERSONAL_DATA_CIPHER';
export const PERSONAL_DATA_SUITES = ['aes-256-gcm', 'sm4'] as const;
export type PersonalDataSuite = (typeof PERSONAL_DATA_SUITES)[number];

/** What a lookup hash is of: the two are hashed apart so a name can never match an identifier. */
export type LookupField = 'name' | 'id';

const FORMAT = 'pd1';
const SUITE_TAG: Record<PersonalDataSuite, string> = { 'aes-256-gcm': 'aes', sm4: 'sm4' };
const SUITE_OF_TAG: Record<string, PersonalDataSuite> = { aes: 'aes-256-gcm', sm4: 'sm4' };
const DIGEST: Record<PersonalDataSuite, string> = { 'aes-256-gcm': 'sha256', sm4: 'sm3' };

interface DerivedKeys {
  encrypt: Buffer;
  mac: Buffer;
  lookup: Buffer;
}

/** An exact lookup ignores what a clerk's typing varies: surrounding spaces, Unicode composition, an ID's letter case. */
export function normalisedForLookup(field: LookupField, value: string): string {
  const trimmed = value.normalize('NFC').trim();
  return field === 'id' ? trimmed.toUpperCase() : trimmed;
}

export class PersonalDataCipher {
  readonly #derived = new Map<string, DerivedKeys>();

  constructor(
    private readonly keys: PayloadKeyRing,
    readonly suite: PersonalDataSuite = 'aes-256-gcm',
  ) {}

  /** The prefix of every value sealed now: a stored value without it is due for re-encryption (a rotation). */
  get currentPrefix(): string {
    return `${FORMAT}:${SUITE_TAG[this.suite]}:${this.keys.currentId}:`;
  }

  seal(plain: string): string {
    const id = this.keys.currentId;
    const header = `${FORMAT}:${SUITE_TAG[this.suite]}:${id}:`;
    const k = this.derived(id, this.suite);
    const data = Buffer.from(plain, 'utf8');
    if (this.suite === 'sm4') {
      // Node's OpenSSL has no SM4-GCM: SM4-CBC, then HMAC-SM3 over header, IV and ciphertext (encrypt-then-MAC).
      const iv = randomBytes(16);
      const cipher = createCipheriv('sm4-cbc', k.encrypt, iv);
      const body = Buffer.concat([iv, cipher.update(data), cipher.final()]);
      const tag = createHmac('sm3', k.mac).update(header).update(body).digest();
      return header + Buffer.concat([body, tag]).toString('base64');
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k.encrypt, iv);
    cipher.setAAD(Buffer.from(header, 'utf8'));
    return header + Buffer.concat([iv, cipher.update(data), cipher.final(), cipher.getAuthTag()]).toString('base64');
  }

  open(sealed: string): string {
    const [format, tag, id, encoded] = sealed.split(':');
    const suite = SUITE_OF_TAG[tag];
    if (format !== FORMAT || !suite || !id || encoded === undefined) throw new Error('a personal-data value is not in the pd1:<suite>:<key id>:<data> form');
    if (!this.keys.key(id)) {
      throw new Error(`a personal-data value is encrypted with key id "${id}", which PAYLOAD_ENCRYPTION_KEYS does not list: a key may be dropped only after a start with the new key first has re-encrypted the read model`);
    }
    const header = `${FORMAT}:${tag}:${id}:`;
    const k = this.derived(id, suite);
    const bytes = Buffer.from(encoded, 'base64');
    const failed = () => new Error(`a personal-data value encrypted with key id "${id}" fails authentication: it was altered, or the key under that id is not the one that encrypted it`);
    if (suite === 'sm4') {
      if (bytes.length < 16 + 16 + 32) throw failed();
      const body = bytes.subarray(0, bytes.length - 32);
      const expected = createHmac('sm3', k.mac).update(header).update(body).digest();
      if (!timingSafeEqual(expected, bytes.subarray(bytes.length - 32))) throw failed();
      const decipher = createDecipheriv('sm4-cbc', k.encrypt, body.subarray(0, 16));
      return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString('utf8');
    }
    if (bytes.length < 12 + 16) throw failed();
    const decipher = createDecipheriv('aes-256-gcm', k.encrypt, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(header, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw failed();
    }
  }

  /** The keyed hash stored for exact lookups, under the current key and suite. */
  lookupKey(field: LookupField, value: string): string {
    return this.hash(this.keys.currentId, this.suite, field, value);
  }

  /**
   * The hashes a stored row may carry for this value: under every key of the ring (rows written by a process that
   * still encrypts with the previous key, or not yet re-encrypted), in the current suite.
   */
  lookupKeys(field: LookupField, value: string): string[] {
    return this.keys.ids.map((id) => this.hash(id, this.suite, field, value));
  }

  toJSON(): { suite: PersonalDataSuite; keyIds: string[] } {
    return { suite: this.suite, keyIds: this.keys.ids };
  }

  [inspect.custom](): string {
    return `PersonalDataCipher(${this.suite}; ${this.keys.ids.join(', ')})`;
  }

  private hash(id: string, suite: PersonalDataSuite, field: LookupField, value: string): string {
    const mac = createHmac(DIGEST[suite], this.derived(id, suite).lookup).update(`${field}\u0000${normalisedForLookup(field, value)}`).digest('base64url');
    return `${SUITE_TAG[suite]}:${id}:${mac}`;
  }

  private derived(id: string, suite: PersonalDataSuite): DerivedKeys {
    const cached = this.#derived.get(`${suite}/${id}`);
    if (cached) return cached;
    const ring = this.keys.key(id)!;
    const length = suite === 'sm4' ? 16 : 32;
    const derive = (purpose: string, bytes: number) => Buffer.from(hkdfSync(DIGEST[suite], ring, Buffer.alloc(0), `personal-data/${suite}/${purpose}`, bytes));
    const keys = { encrypt: derive('encrypt', length), mac: derive('mac', 32), lookup: derive('lookup', 32) };
    this.#derived.set(`${suite}/${id}`, keys);
    return keys;
  }
}

/** The subject as the cases table stores it: one sealed JSON value, and a lookup hash of the name and of the identifier. */
export interface SealedSubject {
  subjectSealed: string;
  subjectNameKey: string;
  subjectIdKey: string;
}

export function sealSubject(cipher: PersonalDataCipher, subject: { name: string; idNumber: string }): SealedSubject {
  return {
    subjectSealed: cipher.seal(JSON.stringify({ name: subject.name, idNumber: subject.idNumber })),
    subjectNameKey: cipher.lookupKey('name', subject.name),
    subjectIdKey: cipher.lookupKey('id', subject.idNumber),
  };
}

export function openSubject(cipher: PersonalDataCipher, sealed: string): { name: string; idNumber: string } {
  const parsed = JSON.parse(cipher.open(sealed)) as { name: string; idNumber: string };
  return { name: parsed.name, idNumber: parsed.idNumber };
}
