import { z } from 'zod';
import { ERROR_SCHEMAS, RESPONSE_SCHEMAS } from '../../src/api/dto/responses';

type Answer = { status: number; body: unknown };
type Operation = { method: string; template: string; pattern: RegExp; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };

const schemas: Record<string, z.ZodType> = { ...RESPONSE_SCHEMAS, ...ERROR_SCHEMAS };

/**
 * Holds answers to what the service's OpenAPI document (/docs/openapi.json) claims for them: the operation is found by
 * method and path, the component its response for that status names is parsed with the zod schema it was generated
 * from (strict: a field the document does not name fails too). Answers whose documented body is not a component of
 * dto/responses.ts, and paths the document does not list, are not checked.
 */
export async function documentedAnswers(baseUrl: string) {
  const res = await fetch(`${baseUrl}/docs/openapi.json`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, Pick<Operation, 'responses'>>> };
  const operations: Operation[] = Object.entries(doc.paths)
    .flatMap(([template, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        responses: op.responses,
      })),
    )
    // A literal path (/subjects/credit-status) before a template that also matches it (/subjects/{uscc}/...).
    .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  const checked = new Set<string>();

  return {
    /** The answer, once its body parses with the schema its operation documents for its status. */
    check<T extends Answer>(method: string, path: string, answer: T): T {
      const bare = path.split('?')[0];
      const op = operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(bare));
      const ref = op?.responses[String(answer.status)]?.content?.['application/json']?.schema?.$ref;
      const name = ref?.replace('#/components/schemas/', '');
      if (!op || !name || !schemas[name]) return answer;
      const parsed = schemas[name].safeParse(answer.body);
      if (!parsed.success) {
        throw new Error(`${method} ${path} answered ${answer.status} with a body the OpenAPI document's ${name} (${op.method} ${op.template}) does not describe:\n${z.prettifyError(parsed.error)}`);
      }
      checked.add(name);
      return answer;
    },
    /** The components an answer was checked against so far. */
    checked: () => [...checked].sort(),
  };
}

export type DocumentedAnswers = Awaited<ReturnType<typeof documentedAnswers>>;
