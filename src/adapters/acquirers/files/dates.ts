/** Date notations settlement files use; the value is always turned into YYYY-MM-DD. */
export type DateFormat = 'YYYY-MM-DD' | 'YYYYMMDD' | 'DD.MM.YYYY' | 'DD-MM-YYYY' | 'DD/MM/YYYY' | 'MM/DD/YYYY';

export const dateFormats: readonly DateFormat[] = ['YYYY-MM-DD', 'YYYYMMDD', 'DD.MM.YYYY', 'DD-MM-YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY'];

export class DateFormatError extends Error {
  override name = 'DateFormatError';
}

const shapes: Record<DateFormat, { re: RegExp; order: [y: number, m: number, d: number] }> = {
  'YYYY-MM-DD': { re: /^(\d{4})-(\d{2})-(\d{2})$/, order: [1, 2, 3] },
  YYYYMMDD: { re: /^(\d{4})(\d{2})(\d{2})$/, order: [1, 2, 3] },
  'DD.MM.YYYY': { re: /^(\d{2})\.(\d{2})\.(\d{4})$/, order: [3, 2, 1] },
  'DD-MM-YYYY': { re: /^(\d{2})-(\d{2})-(\d{4})$/, order: [3, 2, 1] },
  'DD/MM/YYYY': { re: /^(\d{2})\/(\d{2})\/(\d{4})$/, order: [3, 2, 1] },
  'MM/DD/YYYY': { re: /^(\d{2})\/(\d{2})\/(\d{4})$/, order: [3, 1, 2] },
};

/**
 * A date in the given notation, optionally followed by a time ("2026-11-02 10:14:03", "2026-11-02T09:12:31Z"), as
 * YYYY-MM-DD. The date part is taken as written: a report's dates are in the acquirer's (or account's) time zone and
 * that is the day the acquirer booked it. 31.11.2026 is refused, not rolled over into December.
 */
export function parseDateText(text: string, format: DateFormat): string {
  const datePart = text.trim().split(/[T ]/)[0] ?? '';
  const m = shapes[format].re.exec(datePart);
  if (!m) throw new DateFormatError(`"${text}" is not a date in the format ${format}`);
  const [y, mo, d] = shapes[format].order.map((i) => m[i]!);
  const iso = `${y}-${mo}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) throw new DateFormatError(`"${text}" is not a real date`);
  return iso;
}
