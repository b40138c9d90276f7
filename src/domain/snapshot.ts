/**
 * Whether `incoming` is an older state of an order than `current` (both must say when they were last changed).
 * Kept apart from ./order.ts, which builds zod schemas on load: the workflow bundle imports this, and every
 * workflow context would otherwise load a validation library it never uses.
 */
export function isOlderSnapshot(current: { updatedAt?: string | undefined } | undefined, incoming: { updatedAt?: string | undefined }): boolean {
  if (!current?.updatedAt || !incoming.updatedAt) return false;
  return Date.parse(incoming.updatedAt) < Date.parse(current.updatedAt);
}
