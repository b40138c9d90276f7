import type { Payout } from '../../../domain/payout';
import { SettlementParseError } from '../port';
import { adyenReader } from './adyen';
import { readCsv, readCsvStream, type SettlementReader } from './csv';
import { genericReader, type GenericCsvMappingInput } from './generic';
import { quickpayReader } from './quickpay';

export { SettlementParseError } from '../port';
export { genericCsvMappingSchema, parseGenericCsv, type GenericCsvMapping, type GenericCsvMappingInput } from './generic';
export { parseAdyen } from './adyen';
export { parseQuickPay } from './quickpay';

/**
 * File formats a vendor documents (Adyen, Clearhaus behind QuickPay) and a shop's own export with a saved mapping.
 * Nexi publishes no file layout and Vipps MobilePay reports only as JSON over its API: both are fetched instead.
 */
export type SettlementFormat = 'adyen' | 'quickpay' | 'generic';

function readerFor(format: SettlementFormat, acquirer: string, mapping?: GenericCsvMappingInput): SettlementReader {
  switch (format) {
    case 'adyen':
      return adyenReader(acquirer);
    case 'quickpay':
      return quickpayReader(acquirer);
    case 'generic':
      if (!mapping) throw new SettlementParseError(1, 'a generic CSV needs a saved column mapping on the acquirer connection');
      return genericReader(mapping, acquirer);
  }
}

/** Parses a settlement file whole, or throws SettlementParseError with the line and reason: never half a file. */
export function parseSettlementFile(format: SettlementFormat, fileText: string, acquirer: string, mapping?: GenericCsvMappingInput): Payout[] {
  return readCsv(fileText, readerFor(format, acquirer, mapping));
}

/** The same for a file read in chunks, yielding to the event loop between them (activities/settlement-uploads.ts). */
export function parseSettlementStream(
  format: SettlementFormat,
  chunks: AsyncIterable<string>,
  acquirer: string,
  mapping: GenericCsvMappingInput | undefined,
  progress?: (rows: number) => Promise<void>,
): Promise<Payout[]> {
  return readCsvStream(chunks, readerFor(format, acquirer, mapping), progress);
}

/**
 * The largest settlement file each format takes, in bytes. Sized from real files: an Adyen Settlement details report
 * row carries about 30 columns, some 250 bytes (our 19-column fixture averages 137), so 160 MiB holds about 670,000
 * rows, a large merchant's busiest batch; QuickPay (Clearhaus) rows and a shop's own export average 96–97 bytes in
 * test/fixtures/settlements, so 80 MiB holds about 850,000 rows. A larger file is refused before it is stored
 * (413 settlement_file_too_large), naming how to split it: by a shorter date range in the acquirer's portal.
 */
export const settlementFileLimits: Record<SettlementFormat, number> = {
  adyen: 160 * 1024 * 1024,
  quickpay: 80 * 1024 * 1024,
  generic: 80 * 1024 * 1024,
};
/** What the API's text/csv parser takes: the largest of the formats' limits (each route checks its own). */
export const settlementBodyLimit = Math.max(...Object.values(settlementFileLimits));
