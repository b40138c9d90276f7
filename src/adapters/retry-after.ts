/**
 * Retry-After → milliseconds from now, for every outside system: delta-seconds (Shopify sends fractions such as
 * "2.0") or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. A bare number is tried first:
 * Date.parse would read "2.0" as a date in the year 2000.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
