import { z } from 'zod';
import { BookingError } from '../../../domain/errors';

/**
 * e-conomic's accounting years (GET /accounting-years): an agreement's years need not be calendar years — a year
 * runs 6 to 18 months and is named "YYYY" or "YYYY/YYYY" — and a closed year takes no further entries. So the year of
 * a voucher is the one whose fromDate..toDate contains its date, never the date's calendar year.
 */
export const accountingYear = z.object({ year: z.string(), fromDate: z.string(), toDate: z.string(), closed: z.boolean().optional() }).loose();
export type AccountingYear = z.infer<typeof accountingYear>;

/** The open accounting year containing `date` (YYYY-MM-DD); a missing or closed year is a named error. */
export function openYearFor(years: AccountingYear[], date: string): AccountingYear {
  const year = years.find((y) => y.fromDate.slice(0, 10) <= date && date <= y.toDate.slice(0, 10));
  if (!year) {
    const known = years.map((y) => `${y.year} (${y.fromDate.slice(0, 10)}..${y.toDate.slice(0, 10)})`).join(', ');
    throw new BookingError('accounting_year_missing', { vendor: 'e-conomic', date, accountingYears: known || 'none' });
  }
  if (year.closed) throw new BookingError('accounting_year_closed', { vendor: 'e-conomic', date, accountingYear: year.year });
  return year;
}
