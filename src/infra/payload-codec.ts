import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Encryption of every payload Temporal stores (workflow inputs, update arguments and results, query results,
 * activity arguments, failure messages): the histories hold personal information of natural persons, which may not be
 * kept in clear (Social Credit Regulation Art. 23 ¶4). Key rotation: docs/decisions/0007-payload-encryption.md.
 */

export const PAYLOAD_KEYS_SETTING = 'PAYLOAD_ENCRYPTION_KEYS';
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** The module the worker, the clients and the workflow bundle load their failure converter from. */
export const FAILURE_CONVERTER_PATH = require.resolve('./encoded-failure-converter');

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KEY_RULE = `comma-separated keyId:key entries, the key being base64 of ${KEY_BYTES} random bytes (AES-256) and the key id 1–64 letters, digits, ".", "_" or "-"; the first key encrypts, all decrypt`;

export class PayloadKeysError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * The keys of PAYLOAD_ENCRYPTION_KEYS. The key bytes sit in a private field, so printing or serialising the
 * configuration shows the key ids only.
 */
export class PayloadKeyRing {
  readonly #keys: ReadonlyMap<string, Buffer>;
  /** The first key of the setting: it encrypts, the others only decrypt. */
  readonly currentId: string;

  private constructor(keys: Map<string, Buffer>) {
    this.#keys = keys;
    this.currentId = keys.keys().next().value as string;
  }

  /** Reads the setting; a problem names the setting, the entry and the rule, never the key bytes. */
  static parse(setting: string): PayloadKeyRing {
    const problems: string[] = [];
    const keys = new Map<string, Buffer>();
    const entries = setting.split(',').map((e) => e.trim());
    if (entries.every((e) => e === '')) throw new PayloadKeysError([`${PAYLOAD_KEYS_SETTING} lists no key: it must be ${KEY_RULE}`]);
    entries.forEach((entry, i) => {
      const where = `${PAYLOAD_KEYS_SETTING} entry ${i + 1}`;
      const colon = entry.indexOf(':');
      if (colon < 0) return problems.push(`${where} is not keyId:key: it must be ${KEY_RULE}`);
      const id = entry.slice(0, colon).trim();
      const encoded = entry.slice(colon + 1).trim();
      if (!KEY_ID.test(id)) return problems.push(`${where} has an invalid key id: it must be ${KEY_RULE}`);
      const key = Buffer.from(encoded, 'base64');
      if (!BASE64.test(encoded) || key.toString('base64') !== encoded) {
        return problems.push(`${where} (key id "${id}") is not base64: it must be ${KEY_RULE}`);
      }
      if (key.length !== KEY_BYTES) {
        return problems.push(`${where} (key id "${id}") holds ${key.length} bytes instead of ${KEY_BYTES}: it must be ${KEY_RULE}`);
      }
      if (keys.has(id)) return problems.push(`${where} repeats the key id "${id}": it must be ${KEY_RULE}`);
      keys.set(id, key);
    });
    if (problems.length) throw new PayloadKeysError(problems);
    return new PayloadKeyRing(keys);
  }

  /** A setting value holding one new random key. */
  static generateSetting(id: string): string {
    if (!KEY_ID.test(id)) throw new Error(`invalid key id "${id}": ${KEY_RULE}`);
    return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  toJSON(): { keyIds: string[] } {
    return { keyIds: this.ids };
  }

  [inspect.custom](): string {
    return `PayloadKeyRing(${this.ids.join(', ')})`;
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * AES-256-GCM over the whole serialised payload (its metadata too, so the original encoding is hidden), a fresh random
 * 12-byte IV per payload, the key id in clear metadata and bound to the ciphertext as additional authenticated data.
 * Data: IV | ciphertext | 16-byte tag. Payloads without the encrypted encoding pass through on decode, so histories
 * recorded before encryption replay.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const id = this.keys.currentId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.key(id)!, iv);
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id) }, data: sealed };
  }

  private decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!id) throw new Error(`an encrypted payload carries no ${KEY_ID_METADATA}: it cannot be decrypted`);
    const key = this.keys.key(id);
    if (!key) {
      throw new Error(
        `a payload is encrypted with key id "${id}", which ${PAYLOAD_KEYS_SETTING} does not list (it lists ${this.keys.ids.map((k) => `"${k}"`).join(', ')}): ` +
          'a key may be dropped only once no history encrypted with it is retained',
      );
    }
    const sealed = Buffer.from(payload.data ?? []);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error(`a payload encrypted with key id "${id}" is truncated (${sealed.length} bytes)`);
    const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error(`a payload encrypted with key id "${id}" fails authentication: it was altered, or the key under that id is not the one that encrypted it`);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/** The data converter of the worker and of every client: encrypted payloads, encoded failure messages. */
export function encryptedDataConverter(keys: PayloadKeyRing | undefined): DataConverter {
  if (!keys) {
    throw new Error(`${PAYLOAD_KEYS_SETTING} is not set: Temporal histories hold personal information, which must be encrypted (${KEY_RULE})`);
  }
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
