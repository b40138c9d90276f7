/**
 * What each ledger system's connection takes (src/adapters/ledgers/connection.ts), as form fields: secrets (write-only:
 * never shown back, entered again to change the connection), settings, and maps (sales account → product, our VAT code
 * → the system's). Labels and the "where to find it" lines are in the setup namespace under ledger.field.* and
 * ledger.where.*.
 */
export type LedgerSystem = 'local' | 'e-conomic' | 'billy' | 'fiken' | 'dinero' | 'uni-economy';
export const ledgerSystems: LedgerSystem[] = ['local', 'e-conomic', 'billy', 'fiken', 'dinero', 'uni-economy'];

export type FieldKind = 'secret' | 'text' | 'integer' | 'customerMode' | 'accountMap' | 'vatMap';
export interface ConnectionField {
  /** The field's path under credentials or settings; a dot nests (accountGroups.balance). */
  key: string;
  kind: FieldKind;
  required?: boolean;
  /** For a vatMap: the values the system takes. */
  values?: readonly string[];
}

const fikenVatTypes = ['NONE', 'HIGH', 'MEDIUM', 'RAW_FISH', 'LOW', 'EXEMPT_IMPORT_EXPORT', 'EXEMPT', 'OUTSIDE', 'EXEMPT_REVERSE'] as const;
const customer: ConnectionField[] = [{ key: 'customerMode', kind: 'customerMode' }, { key: 'collectiveCustomer', kind: 'text' }];

export const connectionFields: Record<LedgerSystem, { credentials: ConnectionField[]; settings: ConnectionField[] }> = {
  local: { credentials: [], settings: [] },
  'e-conomic': {
    credentials: [
      { key: 'appSecretToken', kind: 'secret', required: true },
      { key: 'agreementGrantToken', kind: 'secret', required: true },
    ],
    settings: [
      { key: 'journalNumber', kind: 'integer', required: true },
      { key: 'layoutNumber', kind: 'integer', required: true },
      { key: 'paymentTermsNumber', kind: 'integer', required: true },
      { key: 'customerGroupNumber', kind: 'integer', required: true },
      ...customer,
      { key: 'products', kind: 'accountMap', required: true },
    ],
  },
  billy: {
    credentials: [{ key: 'accessToken', kind: 'secret', required: true }],
    settings: [
      { key: 'organizationId', kind: 'text', required: true },
      { key: 'daybookId', kind: 'text', required: true },
      { key: 'paymentTermsDays', kind: 'integer' },
      ...customer,
      { key: 'accountGroups.balance', kind: 'text' },
      { key: 'accountGroups.expense', kind: 'text' },
      { key: 'products', kind: 'accountMap', required: true },
      { key: 'taxRates', kind: 'vatMap' },
    ],
  },
  fiken: {
    credentials: [{ key: 'token', kind: 'secret', required: true }],
    settings: [
      { key: 'companySlug', kind: 'text', required: true },
      { key: 'daysUntilDueDate', kind: 'integer' },
      { key: 'bankAccountNumber', kind: 'text' },
      ...customer,
      { key: 'vatTypes', kind: 'vatMap', required: true, values: fikenVatTypes },
    ],
  },
  dinero: {
    credentials: [
      { key: 'clientId', kind: 'secret', required: true },
      { key: 'clientSecret', kind: 'secret', required: true },
      { key: 'apiKey', kind: 'secret', required: true },
    ],
    settings: [
      { key: 'organizationId', kind: 'integer', required: true },
      { key: 'paymentConditionDays', kind: 'integer' },
      { key: 'countryKey', kind: 'text' },
      ...customer,
      { key: 'vatCodes', kind: 'vatMap', required: true },
    ],
  },
  'uni-economy': {
    credentials: [
      { key: 'clientId', kind: 'secret', required: true },
      { key: 'clientSecret', kind: 'secret', required: true },
    ],
    settings: [{ key: 'companyKey', kind: 'text', required: true }, ...customer, { key: 'vatCodes', kind: 'vatMap', required: true }],
  },
};

/** The form's state: every scalar as typed text, every map as rows. */
export interface ConnectionForm {
  system: LedgerSystem;
  values: Record<string, string>;
  maps: Record<string, [string, string][]>;
}

const getPath = (o: Record<string, unknown> | null, key: string): unknown => key.split('.').reduce<unknown>((at, k) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined), o);
const setPath = (o: Record<string, unknown>, key: string, value: unknown) => {
  const parts = key.split('.');
  let at = o;
  for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
  at[parts.at(-1)!] = value;
};

/**
 * The form for a system, from what is saved (settings only: secrets are never read back). A map nobody filled yet
 * starts with the keys the mapping names (its sales accounts, its VAT codes), so the owner only adds the values.
 */
export function initialForm(system: LedgerSystem, saved: Record<string, unknown> | null, hints: { salesAccounts: string[]; vatCodes: string[] }): ConnectionForm {
  const values: Record<string, string> = {};
  const maps: Record<string, [string, string][]> = {};
  for (const f of connectionFields[system].settings) {
    const v = getPath(saved, f.key);
    if (f.kind === 'accountMap' || f.kind === 'vatMap') {
      const entries = v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)] as [string, string]) : [];
      maps[f.key] = entries.length ? entries : (f.kind === 'accountMap' ? hints.salesAccounts : hints.vatCodes).map((k) => [k, ''] as [string, string]);
    } else values[f.key] = v === undefined || v === null ? (f.kind === 'customerMode' ? 'collective' : '') : String(v);
  }
  return { system, values, maps };
}

/** The PUT /v1/ledger/connection body: empty optional fields left out, numbers as numbers, rows as records. */
export function connectionBody(form: ConnectionForm): Record<string, unknown> {
  if (form.system === 'local') return { system: 'local' };
  const spec = connectionFields[form.system];
  const credentials: Record<string, unknown> = {};
  const settings: Record<string, unknown> = {};
  for (const f of spec.credentials) credentials[f.key] = form.values[f.key] ?? '';
  for (const f of spec.settings) {
    if (f.kind === 'accountMap' || f.kind === 'vatMap') {
      const rows = (form.maps[f.key] ?? []).filter(([k, v]) => k.trim() && v.trim());
      if (rows.length || f.required) setPath(settings, f.key, Object.fromEntries(rows.map(([k, v]) => [k.trim(), v.trim()])));
      continue;
    }
    const raw = (form.values[f.key] ?? '').trim();
    if (!raw && !f.required) continue;
    const integerSetting = f.kind === 'integer' || (f.key === 'collectiveCustomer' && form.system === 'uni-economy');
    setPath(settings, f.key, integerSetting && /^-?\d+$/.test(raw) ? Number(raw) : raw);
  }
  return { system: form.system, credentials, settings };
}
