import { z } from 'zod';
import { minorUnitDigits } from '../../domain/money';
import { DecimalError, decimalToMinor, fractionToPercent, type Rounding } from './decimal';
import { ChannelPayloadError } from './port';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isoDateTime = z.iso.datetime({ offset: true });
const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * A value in a webhook payload together with its JSON path, so that every complaint about it can say exactly where
 * it is (`$.line_items[2].quantity`). Every accessor either returns a well-typed value or throws ChannelPayloadError:
 * the mappers never touch raw `unknown` and never throw a TypeError on a hostile body.
 */
export class JsonNode {
  private constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  static root(value: unknown): JsonNode {
    return new JsonNode(value, '$');
  }

  fail(reason: string): never {
    throw new ChannelPayloadError(this.path, reason);
  }

  private object(): Record<string, unknown> {
    const v = this.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`expected an object, got ${kind(v)}`);
    return v as Record<string, unknown>;
  }

  private child(key: string): JsonNode {
    const o = this.object();
    const value = hasOwn(o, key) ? o[key] : undefined;
    return new JsonNode(value, identifier.test(key) ? `${this.path}.${key}` : `${this.path}[${JSON.stringify(key)}]`);
  }

  /** A field that must be present and not null. */
  get(key: string): JsonNode {
    const c = this.child(key);
    if (c.value === undefined || c.value === null) c.fail('is missing');
    return c;
  }

  /** A field that may be absent or null. */
  opt(key: string): JsonNode | undefined {
    const c = this.child(key);
    return c.value === undefined || c.value === null ? undefined : c;
  }

  items(): JsonNode[] {
    const v = this.value;
    if (!Array.isArray(v)) this.fail(`expected an array, got ${kind(v)}`);
    return Array.from(v, (item, i) => new JsonNode(item, `${this.path}[${i}]`));
  }

  /** The elements of an optional array field ([] when absent or null). */
  list(key: string): JsonNode[] {
    return this.opt(key)?.items() ?? [];
  }

  string(): string {
    if (typeof this.value !== 'string') this.fail(`expected a string, got ${kind(this.value)}`);
    return this.value;
  }

  /** A string with something in it, trimmed. */
  text(): string {
    const s = this.string().trim();
    if (s === '') this.fail('is empty');
    return s;
  }

  /** The text of an optional field, undefined when absent, null or blank. */
  optText(key: string): string | undefined {
    const s = this.opt(key)?.string().trim();
    return s ? s : undefined;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') this.fail(`expected true or false, got ${kind(this.value)}`);
    return this.value;
  }

  number(): number {
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) this.fail(`expected a number, got ${kind(this.value)}`);
    return this.value;
  }

  positive(): number {
    const n = this.number();
    if (n <= 0 || n > 1_000_000) this.fail(`expected a quantity above 0 (and at most 1,000,000), got ${n}`);
    return n;
  }

  /**
   * A platform id as a string. JSON numbers above 2^53 have already lost digits when the body was parsed, so such
   * an id is refused rather than silently turned into another order's id.
   */
  id(): string {
    const v = this.value;
    if (typeof v === 'string' && /^[A-Za-z0-9._:-]{1,200}$/.test(v)) return v;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) this.fail(`id ${v} is above 2^53: its digits were lost when the JSON was parsed`);
    return this.fail(`expected an id (a whole number or a string of letters, digits and . _ : -), got ${kind(v)}`);
  }

  /** An amount in minor units (see decimalToMinor). */
  minor(digits: number, rounding: Rounding = 'exact'): number {
    try {
      return decimalToMinor(this.value, digits, rounding);
    } catch (e) {
      if (e instanceof DecimalError) this.fail(e.reason);
      throw e;
    }
  }

  /** A tax rate given as a fraction (0.25), in percent (25). */
  fractionPercent(): number {
    try {
      const p = fractionToPercent(this.value);
      if (p < 0 || p > 100) this.fail(`a tax rate of ${p} % is outside 0–100 %`);
      return p;
    } catch (e) {
      if (e instanceof DecimalError) this.fail(e.reason);
      throw e;
    }
  }

  /** An ISO 4217 code and its number of minor digits. */
  currency(): { code: string; digits: number } {
    const code = this.string().trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) this.fail(`"${code.slice(0, 20)}" is not an ISO 4217 currency code`);
    try {
      return { code, digits: minorUnitDigits(code) };
    } catch {
      return this.fail(`"${code}" is not a currency we know`);
    }
  }

  /** An ISO 3166-1 alpha-2 country code, in capitals. */
  country(): string {
    const code = this.text().toUpperCase();
    if (!/^[A-Z]{2}$/.test(code)) this.fail(`"${code.slice(0, 20)}" is not an ISO 3166-1 alpha-2 country code`);
    return code;
  }

  /** A date-time with an explicit offset (Shopify: 2026-03-05T10:15:00+01:00). */
  dateTime(): string {
    const s = this.text();
    if (!isoDateTime.safeParse(s).success) this.fail(`"${s.slice(0, 40)}" is not an ISO 8601 date-time with an offset`);
    return s;
  }

  /** A date-time in UTC without an offset (WooCommerce's *_gmt fields: 2026-03-05T09:15:00) → with a Z. */
  gmtDateTime(): string {
    const s = this.text();
    const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
    if (!isoDateTime.safeParse(withZone).success) this.fail(`"${s.slice(0, 40)}" is not an ISO 8601 date-time`);
    return withZone;
  }
}

function kind(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}
