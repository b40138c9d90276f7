import { BookingError } from '../../../domain/errors';
import { formatMoney, sum } from '../../../domain/money';
import type { InvoicePlan } from '../../../domain/posting';
import type { Region } from '../../../domain/region';
import { fromDecimal, type VendorLine } from '../http';

/**
 * e-conomic computes an invoice's VAT itself: from the VAT zone of the invoice's recipient and the product group of
 * each line's product (its sales account for that zone carries the VAT). We send no VAT code on a line, so the two
 * must be set up to give what the shop charged. The zone follows our region; after creating the draft we compare
 * e-conomic's totals with ours and never book another total.
 */

/** e-conomic's standard VAT zones: 1 Domestic, 2 EU, 3 Abroad (an agreement may number them otherwise: a setting). */
export const defaultVatZones: Record<Region, number> = { domestic: 1, eu: 2, outsideEu: 3 };

/**
 * e-conomic's EU and Abroad zones book no VAT (reverse charge, export). A consumer in another EU country below the OSS
 * threshold pays our VAT: an invoice that charges VAT goes in the domestic zone whatever the delivery country; only a
 * VAT-free one takes its region's zone.
 */
export function vatZoneFor(region: Region | undefined, zones: Partial<Record<Region, number>> = {}, domesticZone?: number, chargesVat = false): number {
  const all = { ...defaultVatZones, ...(domesticZone ? { domestic: domesticZone } : {}), ...zones };
  return all[chargesVat ? 'domestic' : (region ?? 'domestic')];
}

/**
 * The product of a line: by treatment (sales account and VAT code, "1010:S25") where the shop configured one, else by
 * sales account. One sales account can so carry different VAT treatments with different products.
 */
export function productFor(products: Record<string, string>, line: Pick<VendorLine, 'account' | 'vatCode'>): string | undefined {
  return (line.vatCode ? products[`${line.account}:${line.vatCode}`] : undefined) ?? products[line.account];
}

export interface Totals {
  net: number;
  vat: number;
  gross: number;
}

/** Our totals of the document as e-conomic should show them (a credit note's are negative). */
export function expectedTotals(plan: Pick<InvoicePlan, 'kind' | 'total'>, lines: VendorLine[]): Totals {
  const sign = plan.kind === 'credit_note' ? -1 : 1;
  const net = sign * sum(lines.map((l) => l.quantity * l.unitPrice));
  return { net, vat: sign * plan.total - net, gross: sign * plan.total };
}

/** e-conomic's totals (decimals) in minor units. */
export const ledgerTotals = (d: { netAmount: number; vatAmount: number; grossAmount: number }): Totals => ({
  net: fromDecimal(d.netAmount),
  vat: fromDecimal(d.vatAmount),
  gross: fromDecimal(d.grossAmount),
});

/** Stops on any difference, naming both sets of totals as money. */
export function assertSameTotals(ours: Totals, theirs: Totals, currency: string, extra: Record<string, unknown>): void {
  if (ours.net === theirs.net && ours.vat === theirs.vat && ours.gross === theirs.gross) return;
  const show = (t: Totals) => ({ net: formatMoney(t.net, currency), vat: formatMoney(t.vat, currency), gross: formatMoney(t.gross, currency) });
  throw new BookingError('ledger_totals_mismatch', { vendor: 'e-conomic', ours: show(ours), ledger: show(theirs), ...extra });
}
