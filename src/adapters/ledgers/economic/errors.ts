import { BookingError } from '../../../domain/errors';
import { missing, vendorText, type HttpResult } from '../http';

/**
 * e-conomic answers validation failures with 400 and "annotated errors": the request document with every failing
 * property replaced by `{ errors: [{ errorCode, message, value, developerHint }] }`, arrays carrying `arrayIndex`.
 * We walk that tree to say *which* account, VAT code or product is missing instead of passing a wall of text on.
 */

interface Leaf {
  path: (string | number)[];
  errorCode?: string;
  message: string;
  value?: unknown;
}

function leaves(node: unknown, path: (string | number)[] = [], out: Leaf[] = []): Leaf[] {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      const index = item && typeof item === 'object' && typeof (item as { arrayIndex?: unknown }).arrayIndex === 'number' ? (item as { arrayIndex: number }).arrayIndex : i;
      leaves(item, [...path, index], out);
    });
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const obj = node as Record<string, unknown>;
  if (Array.isArray(obj.errors) && obj.errors.every((e) => e && typeof e === 'object' && 'message' in e)) {
    for (const e of obj.errors as { errorCode?: string; message: string; value?: unknown }[]) {
      out.push({ path, errorCode: e.errorCode, message: String(e.message), value: e.value });
    }
  }
  for (const [key, child] of Object.entries(obj)) {
    if (key === 'errors' || key === 'arrayIndex') continue;
    leaves(child, [...path, key], out);
  }
  return out;
}

/** The value we sent at `path` (e.g. the account number), when the error itself does not echo it. */
function sentValue(body: unknown, path: (string | number)[]): string | undefined {
  let node: unknown = body;
  for (const p of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[p];
  }
  if (node === null || node === undefined) return undefined;
  if (typeof node !== 'object') return String(node);
  const o = node as Record<string, unknown>;
  const id = o.accountNumber ?? o.vatCode ?? o.productNumber ?? o.paymentTermsNumber ?? o.customerNumber;
  return id === undefined ? undefined : String(id);
}

const saysMissing = (l: Leaf) => l.errorCode === 'E06000' || /does not exist|not found|unknown|no .* (found|exists)/i.test(l.message);

const classes: { props: string[]; code: 'missing_account' | 'missing_vat_code' | 'missing_product' }[] = [
  { props: ['account', 'contraAccount', 'accountNumber'], code: 'missing_account' },
  { props: ['vatAccount', 'vatCode'], code: 'missing_vat_code' },
  { props: ['product', 'productNumber'], code: 'missing_product' },
];

export function economicRejection(res: HttpResult, request: { method: string; path: string; body?: unknown }): Error {
  const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
  const found = leaves(body.errors);
  for (const leaf of found) {
    const prop = [...leaf.path].reverse().find((p): p is string => typeof p === 'string');
    if (!prop) continue;
    const value = leaf.value !== undefined && leaf.value !== null ? String(leaf.value) : sentValue(request.body, leaf.path);
    if (prop === 'paymentTerms' || prop === 'paymentTermsNumber') {
      return new BookingError('payment_terms_changed', { value: value ?? null, vendorMessage: leaf.message });
    }
    const cls = classes.find((c) => c.props.includes(prop));
    if (cls && saysMissing(leaf) && value !== undefined) return missing(cls.code, value, { vendorMessage: leaf.message });
  }
  const detail = found[0] ? `${found[0].path.join('.')}: ${found[0].message}` : undefined;
  return new BookingError('ledger_rejected', {
    vendor: 'e-conomic',
    status: res.status,
    vendorMessage: [vendorText(res.body), detail].filter(Boolean).join(' — ') || `HTTP ${res.status}`,
    ...(typeof body.errorCode === 'string' ? { errorCode: body.errorCode } : {}),
  });
}

/**
 * The fair-use limit (calls per agreement per 24 h) is a quota, not a burst limit: retrying within minutes only
 * burns more calls. e-conomic's exact wording is not documented, so we recognise it by its vocabulary.
 */
export const economicQuota = (res: HttpResult) => /fair[ -]?use|quota|daily limit|per 24/i.test(vendorText(res.body));
