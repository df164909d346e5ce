/**
 * Every field the web app's forms render is labelled from its JSON Schema's `title` (zod `.meta`): each property of
 * each filing and action body the OpenAPI document publishes, at any depth, has a Chinese one.
 */
import { allKernelDefinitions } from '../../procedures';
import { openApiBodies } from '../../src/cases/procedures.service';
import { actionNames, actionSchema } from '../../src/domain/kernel/case-kernel';
import { jsonSchemaOf } from '../../src/domain/kernel/schema';

type Schema = { title?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; [k: string]: unknown };
const CHINESE = /[\u4e00-\u9fff]/;

/** The paths of the fields below `schema` without a Chinese title (array items included). */
function untitled(schema: Schema, path = ''): string[] {
  const missing: string[] = [];
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    const at = path ? `${path}.${key}` : key;
    if (!CHINESE.test(field.title ?? '')) missing.push(at);
    missing.push(...below(field, at));
  }
  return missing;
}
function below(field: Schema, at: string): string[] {
  const missing = untitled(field, at);
  if (field.items) {
    if (!CHINESE.test(field.items.title ?? '')) missing.push(`${at}[]`);
    missing.push(...below(field.items, `${at}[]`));
  }
  for (const option of field.anyOf ?? []) missing.push(...below(option, at));
  return missing;
}

// allKernelDefinitions lists each procedure's versions newest first.
const newest = allKernelDefinitions().filter((d, i, all) => all.findIndex((x) => x.procedure === d.procedure) === i);
const { schemas } = openApiBodies();

describe('form titles', () => {
  it.each(newest.map((d) => [`Filing_${d.procedure}_v${d.version}`]))('%s titles every field in Chinese', (name) => {
    expect(untitled(schemas[name] as Schema)).toEqual([]);
  });

  it.each(Object.keys(schemas).filter((n) => n.startsWith('Action_')).map((n) => [n]))('%s titles every field in Chinese', (name) => {
    expect(untitled(schemas[name] as Schema)).toEqual([]);
  });

  it('every registered version, older ones included, titles its filing and action fields', () => {
    const missing = allKernelDefinitions().flatMap((d) => [
      ...untitled(jsonSchemaOf(d.filing) as Schema).map((p) => `${d.procedure} v${d.version} filing: ${p}`),
      ...actionNames(d).flatMap((a) => untitled(jsonSchemaOf(actionSchema(d, a)!) as Schema).map((p) => `${d.procedure} v${d.version} ${a}: ${p}`)),
    ]);
    expect(missing).toEqual([]);
  });

  it('finds a field without a title', () => {
    expect(untitled({ properties: { a: { title: '甲', type: 'object', properties: { b: { type: 'string' } } }, c: { type: 'array', title: '丙', items: { title: 'item' } } } })).toEqual(['a.b', 'c[]']);
  });
});
