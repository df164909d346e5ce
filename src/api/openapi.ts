import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorName, ref, responseComponents } from './dto/responses';

/** Reachable without a token (the guard's @Public()); every other operation answers 401 without one. */
export const PUBLIC_OPERATIONS = ['GET /health', 'GET /calendar/deadline', 'GET /calendar/days', 'GET /calendar/years', 'GET /sign-in/options', 'POST /sign-in/demo', 'POST /codec/decode', 'POST /codec/encode'];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const RETRY_AFTER = { description: 'Seconds after which a retry may succeed', required: true, schema: { type: 'integer', minimum: 0 } };

const ERRORS: Record<number, { schema: ErrorName; description: string; headers?: ResponseObject['headers'] }> = {
  400: { schema: 'BadRequest', description: 'A parameter, header or body field breaks a rule; `field` names it' },
  401: { schema: 'Unauthorized', description: 'No bearer token, or one that is not valid', headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } },
  403: { schema: 'Forbidden', description: "The token's user may not do this; `rule` names why" },
  404: { schema: 'NotFound', description: 'It does not exist, or is not visible to this user' },
  409: { schema: 'Conflict', description: 'Already exists' },
  413: { schema: 'PayloadTooLarge', description: 'The body exceeds BODY_LIMIT' },
  415: { schema: 'UnsupportedMediaType', description: 'The body is in a charset or encoding the API does not read' },
  422: { schema: 'Refused', description: 'Refused by a rule of the procedure: `rule`, its legal `basis` and a `message`' },
  500: { schema: 'ActionFailed', description: 'An accepted action failed inside the workflow (the case is unchanged), or an unexpected error (`errorId` names its log line)' },
  503: {
    schema: 'ServiceUnavailable',
    description: 'Temporal or PostgreSQL did not answer in time; retrying is safe (idempotency keys)',
    headers: { 'Retry-After': RETRY_AFTER },
  },
};

function errorResponse(status: number): ResponseObject {
  const e = ERRORS[status];
  return { description: e.description, ...(e.headers ? { headers: e.headers } : {}), content: { 'application/json': { schema: ref(e.schema) } } };
}

/**
 * Makes the generated document say what the API does, beyond what each controller declares: the bearer scheme on
 * every operation but the public ones, and the errors every operation of a kind can answer with their schemas — 400
 * where it takes parameters or a body, 413/415 where it takes a body, 401/403 behind a token, 503 everywhere. An error
 * status a controller declares (404, 409, 422, 500) gets its schema here unless it brought its own.
 */
export function completeOpenApi(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...responseComponents() } };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) completeOperation(`${method.toUpperCase()} ${path}`, op);
    }
  }
  return doc;
}

function completeOperation(name: string, op: OperationObject): void {
  const isPublic = PUBLIC_OPERATIONS.includes(name);
  op.security = isPublic ? [] : [{ bearer: [] }];
  const responses = (op.responses ??= {}) as Record<string, ResponseObject>;
  // A path parameter alone is checked only where its schema restricts it (a case id that is no UUID is simply not found).
  const checked = (p: ParameterObject) => p.in !== 'path' || !!(p.schema as SchemaObject | undefined)?.pattern || (p.schema as SchemaObject | undefined)?.type === 'integer';
  const hasInput = !!op.requestBody || (op.parameters ?? []).some((p) => checked(p as ParameterObject));
  const statuses = [503];
  if (hasInput) statuses.push(400);
  if (op.requestBody) statuses.push(413, 415);
  if (!isPublic) statuses.push(401, 403);
  for (const status of statuses) responses[status] ??= errorResponse(status);
  for (const [status, response] of Object.entries(responses)) {
    const code = Number(status);
    if (ERRORS[code] && !response.content) responses[status] = { ...errorResponse(code), description: response.description || ERRORS[code].description };
  }
  // Every 503 (a dependency, a start or a stop) says when to come back, also where a controller brought its own schema.
  responses['503'] = { ...responses['503'], headers: { ...responses['503'].headers, 'Retry-After': RETRY_AFTER } };
}
