// No React here: the unit tests import this file directly.

export type SchemaLang = 'zh' | 'en';
type Schema = { [k: string]: unknown };

const DESCRIPTION_ZH = 'x-description-zh';
const ENUM_LABELS_ZH = 'x-enum-labels-zh';
const CHINESE = /[\u4e00-\u9fff]/;

/** `competentUnit` → "Competent unit": the English label of a field the API titles only in Chinese. */
export function fieldNameAsWords(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A form's JSON Schema in the language shown. The API's schemas carry Chinese titles, Chinese descriptions
 * (`x-description-zh`) beside English ones and Chinese labels of enum codes (`x-enum-labels-zh`). In Chinese the form
 * shows those, enum values labelled through `oneOf: [{ const, title }]` (what rjsf selects read); in English the field
 * names as words and the English descriptions. The values submitted stay the codes either way.
 */
export function localiseSchema<T extends object>(schema: T, lang: SchemaLang, name?: string): T {
  const { [DESCRIPTION_ZH]: descriptionZh, [ENUM_LABELS_ZH]: enumLabelsZh, ...rest } = schema as Schema;
  const out: Schema = { ...rest };

  if (lang === 'zh') {
    if (typeof descriptionZh === 'string') out.description = descriptionZh;
    const labels = enumLabelsZh as Record<string, string> | undefined;
    const values = Array.isArray(out.enum) ? out.enum : 'const' in out ? [out.const] : undefined;
    if (labels && values) {
      delete out.enum;
      delete out.const;
      out.oneOf = values.map((value) => ({ const: value, title: labels[String(value)] ?? String(value) }));
    }
  } else if (name !== undefined) {
    out.title = fieldNameAsWords(name);
  } else if (typeof out.title === 'string' && CHINESE.test(out.title)) {
    delete out.title;
  }

  if (isSchema(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([key, field]) => [key, isSchema(field) ? localiseSchema(field, lang, key) : field]));
  }
  if (isSchema(out.items)) out.items = localiseSchema(out.items, lang);
  for (const alternatives of ['anyOf', 'oneOf'] as const) {
    const options = out[alternatives];
    if (!Array.isArray(options)) continue;
    out[alternatives] = options.map((option: unknown) => (isSchema(option) ? localiseOption(option, lang) : option));
  }
  return out as T;
}

// An alternative of a union ("by days" or "by months"): in English it is named after its fields, so rjsf's choice
// reads "Days" rather than "Option 1".
function localiseOption(option: Schema, lang: SchemaLang): Schema {
  const localised = localiseSchema(option, lang);
  if (lang === 'en' && isSchema(option.properties)) localised.title = Object.keys(option.properties).map(fieldNameAsWords).join(', ');
  return localised;
}

/** The title a (localised) schema gives the field at a dotted path of the API's (`subject.uscc`, `units.0.unitId`). */
export function fieldTitle(schema: object, path: string): string | undefined {
  let at: Schema | undefined = schema as Schema;
  for (const segment of path.split('.')) {
    if (!at) return undefined;
    const properties: unknown = at.properties;
    if (/^\d+$/.test(segment) && isSchema(at.items)) at = at.items;
    else at = isSchema(properties) && isSchema(properties[segment]) ? properties[segment] : undefined;
  }
  return typeof at?.title === 'string' ? at.title : undefined;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
