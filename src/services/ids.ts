import { randomBytes } from 'node:crypto';

/** A random id with a readable prefix (`shop_…`, `per_…`): 72 bits, letters and digits only. */
export const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
