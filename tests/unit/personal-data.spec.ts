import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { loadConfig } from '../../src/config/config';
import { PayloadKeyRing } from '../../src/infra/payload-codec';
import { openSubject, PersonalDataCipher, sealSubject } from '../../src/infra/personal-data';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const OLD = key('old');
const NEW = key('new');
const cipher = (setting: string, suite?: 'aes-256-gcm' | 'sm4') => new PersonalDataCipher(PayloadKeyRing.parse(setting), suite);
const SUBJECT = { name: '张三丰', idNumber: '11010519491231002X' };

describe.each(['aes-256-gcm', 'sm4'] as const)('the %s suite', (suite) => {
  const c = cipher(OLD, suite);

  it('seals the subject so that neither its text nor its bytes show, and opens it again', () => {
    const sealed = sealSubject(c, SUBJECT);
    expect(sealed.subjectSealed.startsWith(`pd1:${suite === 'sm4' ? 'sm4' : 'aes'}:old:`)).toBe(true);
    for (const value of Object.values(sealed)) {
      for (const secret of [SUBJECT.name, SUBJECT.idNumber, Buffer.from(SUBJECT.name).toString('base64'), Buffer.from(SUBJECT.idNumber).toString('base64')]) expect(value).not.toContain(secret);
    }
    expect(openSubject(c, sealed.subjectSealed)).toEqual(SUBJECT);
    expect(c.seal('x')).not.toBe(c.seal('x'));
  });

  it('refuses a value altered in any byte of its data, and one whose key id was swapped', () => {
    const sealed = c.seal(SUBJECT.name);
    const [head, data] = [sealed.slice(0, sealed.lastIndexOf(':') + 1), sealed.slice(sealed.lastIndexOf(':') + 1)];
    const bytes = Buffer.from(data, 'base64');
    for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at] ^= 1;
      expect(() => c.open(head + altered.toString('base64'))).toThrow(/fails authentication/);
    }
    const both = cipher(`${OLD},${key('other')}`, suite);
    expect(() => both.open(sealed.replace(':old:', ':other:'))).toThrow(/fails authentication/);
  });

  it('hashes for lookup the same value the same way whatever the spacing or letter case of an ID, names apart from IDs', () => {
    expect(c.lookupKey('id', ' 11010519491231002x ')).toBe(c.lookupKey('id', SUBJECT.idNumber));
    expect(c.lookupKey('name', ` ${SUBJECT.name}`)).toBe(c.lookupKey('name', SUBJECT.name));
    expect(c.lookupKey('name', SUBJECT.idNumber)).not.toBe(c.lookupKey('id', SUBJECT.idNumber));
    expect(c.lookupKey('id', SUBJECT.idNumber).startsWith(`${suite === 'sm4' ? 'sm4' : 'aes'}:old:`)).toBe(true);
  });
});

describe('rotation and suites', () => {
  it('opens what an older key sealed once the new key is first, finds it under either key, and refuses it once the old key is gone', () => {
    const before = cipher(OLD);
    const sealed = before.seal(SUBJECT.name);
    const rotated = cipher(`${NEW},${OLD}`);
    expect(rotated.open(sealed)).toBe(SUBJECT.name);
    expect(rotated.seal('x').startsWith('pd1:aes:new:')).toBe(true);
    expect(rotated.currentPrefix).toBe('pd1:aes:new:');
    expect(rotated.lookupKeys('id', SUBJECT.idNumber)).toEqual([rotated.lookupKey('id', SUBJECT.idNumber), before.lookupKey('id', SUBJECT.idNumber)]);
    expect(() => cipher(NEW).open(sealed)).toThrow(/key id "old", which PAYLOAD_ENCRYPTION_KEYS does not list/);
  });

  it('opens an AES value under the SM4 setting and the other way round; the two hash differently', () => {
    const aes = cipher(OLD, 'aes-256-gcm');
    const sm4 = cipher(OLD, 'sm4');
    expect(sm4.open(aes.seal('甲'))).toBe('甲');
    expect(aes.open(sm4.seal('乙'))).toBe('乙');
    expect(sm4.lookupKey('name', '甲')).not.toBe(aes.lookupKey('name', '甲'));
  });

  it('never prints key bytes', () => {
    const c = cipher(OLD);
    const secret = OLD.slice(OLD.indexOf(':') + 1);
    expect(inspect(c)).not.toContain(secret);
    expect(JSON.stringify(c)).toBe('{"suite":"aes-256-gcm","keyIds":["old"]}');
  });

  it('PERSONAL_DATA_CIPHER is aes-256-gcm by default, sm4 when asked, refused otherwise', () => {
    const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/x', TEMPORAL_ADDRESS: '127.0.0.1:7233' };
    expect(loadConfig(base).personalDataCipher).toBe('aes-256-gcm');
    expect(loadConfig({ ...base, PERSONAL_DATA_CIPHER: 'sm4' }).personalDataCipher).toBe('sm4');
    expect(() => loadConfig({ ...base, PERSONAL_DATA_CIPHER: 'des' })).toThrow(/PERSONAL_DATA_CIPHER/);
  });
});
