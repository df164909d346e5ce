import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../src/config/config';
import { failureConverter } from '../../src/infra/encoded-failure-converter';
import { AesGcmPayloadCodec, encryptedDataConverter, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadKeyRing } from '../../src/infra/payload-codec';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const codecFor = (setting: string) => new AesGcmPayloadCodec(PayloadKeyRing.parse(setting));
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

const PERSON = { kind: 'person', name: '王小明', idNumber: '11010519491231002X' };
const personPayload = (): Payload => defaultPayloadConverter.toPayload({ subject: PERSON, note: 'lives at 北京市朝阳区' });

describe('AES-256-GCM payload codec', () => {
  it('round-trips a payload, and what it stores holds neither the name, the ID number nor the original encoding', async () => {
    const codec = codecFor(key('k1'));
    const original = personPayload();
    const [stored] = await codec.encode([original]);
    expect(text(stored.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(stored.metadata?.[KEY_ID_METADATA])).toBe('k1');
    const bytes = Buffer.concat([Buffer.from(stored.data!), ...Object.values(stored.metadata ?? {}).map((v) => Buffer.from(v))]);
    for (const secret of [PERSON.name, PERSON.idNumber, '北京市', 'json/plain']) expect(bytes.includes(Buffer.from(secret))).toBe(false);

    const [decoded] = await codec.decode([stored]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ subject: PERSON, note: 'lives at 北京市朝阳区' });
    expect(text(decoded.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh IV for every payload: the same value encrypts differently each time', async () => {
    const codec = codecFor(key('k1'));
    const [a, b] = await codec.encode([personPayload(), personPayload()]);
    expect(Buffer.from(a.data!).subarray(0, 12).equals(Buffer.from(b.data!).subarray(0, 12))).toBe(false);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('rotation: after a new key is put first, new payloads use it and the old key still decrypts what it encrypted', async () => {
    const old = key('2025-01');
    const [before] = await codecFor(old).encode([personPayload()]);
    const rotated = codecFor(`${key('2026-06')},${old}`);
    const [after] = await rotated.encode([personPayload()]);
    expect(text(after.metadata?.[KEY_ID_METADATA])).toBe('2026-06');
    const decoded = await rotated.decode([before, after]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([expect.objectContaining({ subject: PERSON }), expect.objectContaining({ subject: PERSON })]);
  });

  it('refuses a tampered ciphertext, a tag cut short and a key id swapped in the metadata', async () => {
    const setting = `${key('a')},${key('b')}`;
    const codec = codecFor(setting);
    const [stored] = await codec.encode([personPayload()]);
    const flipped = Buffer.from(stored.data!);
    flipped[20] ^= 0x01;
    await expect(codec.decode([{ ...stored, data: flipped }])).rejects.toThrow(/key id "a" fails authentication/);
    await expect(codec.decode([{ ...stored, data: Buffer.from(stored.data!).subarray(0, 20) }])).rejects.toThrow(/truncated/);
    // The key id is authenticated data: relabelling the payload with another key of the ring does not decrypt it.
    const relabelled = { ...stored, metadata: { ...stored.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key id "b" fails authentication/);
  });

  it('fails loudly on a key id the setting no longer lists, naming it', async () => {
    const [stored] = await codecFor(key('retired-2024')).encode([personPayload()]);
    const current = codecFor(key('current'));
    await expect(current.decode([stored])).rejects.toThrow(/key id "retired-2024", which PAYLOAD_ENCRYPTION_KEYS does not list \(it lists "current"\)/);
  });

  it('passes unencrypted payloads through on decode (histories recorded before encryption)', async () => {
    const plain = personPayload();
    const [decoded] = await codecFor(key('k1')).decode([plain]);
    expect(decoded).toBe(plain);
  });

  it('encrypts failure messages and stack traces through the encoded failure converter', async () => {
    const codec = codecFor(key('k1'));
    const failure = failureConverter.errorToFailure(ApplicationFailure.create({ message: `refused for ${PERSON.name}`, type: 'ActionRefused' }), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(JSON.stringify(failure)).not.toContain(PERSON.name);
    const [stored] = await codec.encode([failure.encodedAttributes!]);
    expect(Buffer.from(stored.data!).includes(Buffer.from(PERSON.name))).toBe(false);
    const [decoded] = await codec.decode([stored]);
    const error = failureConverter.failureToError({ ...failure, encodedAttributes: decoded }, defaultPayloadConverter);
    expect(error.message).toBe(`refused for ${PERSON.name}`);
  });
});

describe('PAYLOAD_ENCRYPTION_KEYS', () => {
  const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/app', TEMPORAL_ADDRESS: '127.0.0.1:7233' };
  const secret = randomBytes(32).toString('base64');

  it('is read at start into a key ring whose printed and serialised forms show the key ids only', () => {
    const keys = loadConfig({ ...base, PAYLOAD_ENCRYPTION_KEYS: ` new:${secret} , old:${randomBytes(32).toString('base64')}` }).payloadEncryptionKeys!;
    expect(keys.currentId).toBe('new');
    expect(keys.ids).toEqual(['new', 'old']);
    expect(inspect({ keys })).not.toContain(secret);
    expect(JSON.stringify({ keys })).toBe('{"keys":{"keyIds":["new","old"]}}');
  });

  it.each([
    ['no key id', secret, /PAYLOAD_ENCRYPTION_KEYS entry 1 is not keyId:key/],
    ['a key id with a space', `my key:${secret}`, /PAYLOAD_ENCRYPTION_KEYS entry 1 has an invalid key id/],
    ['16 bytes', `k1:${randomBytes(16).toString('base64')}`, /PAYLOAD_ENCRYPTION_KEYS entry 1 \(key id "k1"\) holds 16 bytes instead of 32/],
    ['not base64', `k1:${secret.slice(0, -2)}!!`, /PAYLOAD_ENCRYPTION_KEYS entry 1 \(key id "k1"\) is not base64/],
    ['a repeated key id', `k1:${secret},k1:${randomBytes(32).toString('base64')}`, /PAYLOAD_ENCRYPTION_KEYS entry 2 repeats the key id "k1"/],
    ['an empty entry', `k1:${secret},`, /PAYLOAD_ENCRYPTION_KEYS entry 2 is not keyId:key/],
  ])('refuses %s, naming the setting and the rule and never printing the key', (_case, setting, message) => {
    let error: Error | undefined;
    try {
      loadConfig({ ...base, PAYLOAD_ENCRYPTION_KEYS: setting });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain('base64 of 32 random bytes');
    expect(error?.message).not.toContain(secret);
    expect(error?.message).not.toContain(secret.slice(0, 20));
  });

  it('is required by the service: without keys no data converter is made', () => {
    expect(loadConfig(base).payloadEncryptionKeys).toBeUndefined();
    expect(() => encryptedDataConverter(undefined)).toThrow(/PAYLOAD_ENCRYPTION_KEYS is not set/);
  });

  it('generates settings that it reads back, with a distinct key each time', () => {
    const a = PayloadKeyRing.generateSetting('local-1');
    const b = PayloadKeyRing.generateSetting('local-1');
    expect(a).not.toBe(b);
    expect(PayloadKeyRing.parse(`${a}`).key('local-1')).toHaveLength(32);
  });
});
