import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { invalidField } from '../errors';

// PostgreSQL's text and jsonb cannot hold the NUL character, and jsonb refuses an unpaired UTF-16 surrogate: such a
// string would fail at the database, as a 500 after part of the work, instead of at the door.
const unpairedSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes('\u0000') || unpairedSurrogate.test(s);
export const unstorableReason = 'contains a NUL character or an unpaired surrogate, which cannot be stored';

/** The path (`root.key.0.key`) of the first key or string in `value` that PostgreSQL cannot store. */
export function unstorableText(value: unknown, root: string): string | undefined {
  // Iterative: a hostile body may nest thousands of levels deep.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (unstorable(node)) return path;
    } else if (node && typeof node === 'object' && !Buffer.isBuffer(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (unstorable(k)) return `${path}.${k}`;
        stack.push([v, `${path}.${k}`]);
      }
    }
  }
  return undefined;
}

/** Refuses such text anywhere in the path, query or JSON body with the usual validation error. */
export const textGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const parts: [string, unknown][] = [['params', req.params], ['querystring', req.query], ['body', req.body]];
    for (const [root, value] of parts) {
      const path = unstorableText(value, root);
      if (path) throw invalidField(path, unstorableReason);
    }
  });
});
