import type { Chart, Mapping, Region } from './data';

/** The mapping's VAT codes offered in dropdowns: the ledger's own, then those the saved mapping knows already. */
export function vatChoices(chart: Chart | undefined, mapping: Mapping | null | undefined) {
  const out = [...(chart?.vatCodes ?? [])];
  for (const [code, v] of Object.entries(mapping?.vatCodes ?? {})) if (!out.some((c) => c.code === code)) out.push({ code, rate: v.rate, name: null });
  return out;
}

/** Leaves out optional fields left empty: the mapping is strict, and "" is no account. */
export function withoutEmpty<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== undefined)) as T;
}

/** A mapping to start from when none is saved: the parts other steps own, empty. */
export function baseMapping(saved: Mapping | null | undefined): Partial<Mapping> {
  return saved ?? { paymentMethods: {} };
}

export const templateRows = ['goods', 'shipping'] as const;
export type TemplateRow = (typeof templateRows)[number];
export type Templates = Record<TemplateRow, Record<Region, { account: string; vatCode: string }>>;
