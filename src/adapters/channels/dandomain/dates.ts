import type { JsonNode } from '../json';

/**
 * Dandomain answers dates as WCF JSON dates, `/Date(1509972409000+0100)/`: milliseconds since the epoch (UTC) and
 * the shop's offset at that moment. Returned as ISO 8601 in the shop's offset, so the booking date is the shop's day.
 */
export function wcfDate(node: JsonNode): string {
  const s = node.text();
  const m = /^\/Date\((-?\d{1,15})([+-])(\d{2})(\d{2})\)\/$/.exec(s) ?? /^\/Date\((-?\d{1,15})\)\/$/.exec(s);
  if (!m) return node.fail(`"${s.slice(0, 40)}" is not a date as Dandomain writes them (/Date(<ms><+hhmm>)/)`);
  const ms = Number(m[1]);
  const sign = m[2] === '-' ? -1 : 1;
  const offsetMinutes = m[2] ? sign * (Number(m[3]) * 60 + Number(m[4])) : 0;
  const local = new Date(ms + offsetMinutes * 60_000);
  if (Number.isNaN(local.getTime())) return node.fail(`"${s.slice(0, 40)}" is outside the calendar`);
  const zone = m[2] ? `${m[2]}${m[3]}:${m[4]}` : 'Z';
  return `${local.toISOString().slice(0, 19)}${zone}`;
}

/**
 * A moment as the order service's interval queries take it, `Y-m-d\TH:i:s` without a zone. Written in UTC: whether
 * the shop reads it as UTC or as its own time is not documented, and the poll's overlap covers either reading.
 */
export function serviceDateTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19);
}
