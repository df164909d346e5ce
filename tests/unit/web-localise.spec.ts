/** The web app's forms in the language shown: Chinese titles, descriptions and enum labels, or the field names in English. */
import { fieldNameAsWords, fieldTitle, localiseSchema } from '../../web/src/localise';

const schema = {
  type: 'object',
  description: 'Filing',
  properties: {
    competentUnit: { type: 'string', title: '有权处理的单位', description: 'The unit', 'x-description-zh': '有权处理的单位名称' },
    outcome: { type: 'string', enum: ['upheld', 'rejected'], title: '处理决定', 'x-enum-labels-zh': { upheld: '采纳', rejected: '不予采纳' } },
    grounds: { type: 'array', title: '异议理由', items: { type: 'string', enum: ['error'], title: '异议理由', 'x-enum-labels-zh': { error: '错误' } } },
    period: { title: '期限', anyOf: [{ type: 'object', title: '按日计', properties: { days: { type: 'number', title: '日数' } } }] },
    subject: { type: 'object', title: '信用主体', properties: { idNumber: { type: 'string', title: '公民身份号码' } } },
  },
};

describe('localiseSchema', () => {
  it('in Chinese keeps the titles, takes the Chinese descriptions and labels enum codes through oneOf', () => {
    const zh = localiseSchema(schema, 'zh');
    expect(zh.properties.competentUnit).toEqual({ type: 'string', title: '有权处理的单位', description: '有权处理的单位名称' });
    expect(zh.properties.outcome).toEqual({ type: 'string', title: '处理决定', oneOf: [{ const: 'upheld', title: '采纳' }, { const: 'rejected', title: '不予采纳' }] });
    expect(zh.properties.grounds.items).toEqual({ type: 'string', title: '异议理由', oneOf: [{ const: 'error', title: '错误' }] });
    expect(zh.properties.period.anyOf[0].properties.days.title).toBe('日数');
  });

  it('in English names the fields in words, keeps the English descriptions and the codes', () => {
    const en = localiseSchema(schema, 'en');
    expect(en.properties.competentUnit).toEqual({ type: 'string', title: 'Competent unit', description: 'The unit' });
    expect(en.properties.outcome).toEqual({ type: 'string', title: 'Outcome', enum: ['upheld', 'rejected'] });
    expect(en.properties.grounds.items).toEqual({ type: 'string', enum: ['error'] });
    expect(en.properties.period.anyOf[0]).toMatchObject({ title: 'Days', properties: { days: { title: 'Days' } } });
    expect(en.properties.subject.properties.idNumber.title).toBe('Id number');
    expect(en.description).toBe('Filing');
  });

  it('leaves the schema it is given unchanged', () => {
    const before = JSON.stringify(schema);
    localiseSchema(schema, 'zh');
    localiseSchema(schema, 'en');
    expect(JSON.stringify(schema)).toBe(before);
  });
});

describe('fieldTitle', () => {
  it('finds the title of a refused field by the path the API names it with', () => {
    const zh = localiseSchema(schema, 'zh');
    expect(fieldTitle(zh, 'subject.idNumber')).toBe('公民身份号码');
    expect(fieldTitle(zh, 'grounds.0')).toBe('异议理由');
    expect(fieldTitle(zh, 'body')).toBeUndefined();
  });

  it('turns a field name into words', () => {
    expect(fieldNameAsWords('listingCaseId')).toBe('Listing case id');
    expect(fieldNameAsWords('major-safety-accident')).toBe('Major safety accident');
  });
});
