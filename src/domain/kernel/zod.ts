import type { z as Zod } from 'zod';

let loaded: typeof Zod | undefined;

/**
 * zod, loaded on first use. A case's workflow evaluates every module it imports anew, and most workflow tasks parse
 * nothing: loading zod and building the procedures' schemas up front cost more than the rest of a filing's first task.
 * With `lazy` (schema.ts), nothing of zod runs until a body is parsed.
 */
export const z: typeof Zod = new Proxy({} as typeof Zod, {
  get(_, prop) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports, no-restricted-globals -- a deferred import, bundled by webpack like any other
    loaded ??= (require('zod') as { z: typeof Zod }).z;
    return Reflect.get(loaded, prop);
  },
});
