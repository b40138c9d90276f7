import type { Payout } from '../../../domain/payout';
import { SettlementParseError } from '../port';
import { parseAdyen } from './adyen';
import { parseGenericCsv, type GenericCsvMappingInput } from './generic';
import { parseQuickPay } from './quickpay';

export { SettlementParseError } from '../port';
export { genericCsvMappingSchema, parseGenericCsv, type GenericCsvMapping, type GenericCsvMappingInput } from './generic';
export { parseAdyen } from './adyen';
export { parseQuickPay } from './quickpay';

/**
 * File formats a vendor documents (Adyen, Clearhaus behind QuickPay) and a shop's own export with a saved mapping.
 * Nexi publishes no file layout and Vipps MobilePay reports only as JSON over its API: both are fetched instead.
 */
export type SettlementFormat = 'adyen' | 'quickpay' | 'generic';

/** Parses a settlement file whole, or throws SettlementParseError with the line and reason: never half a file. */
export function parseSettlementFile(format: SettlementFormat, fileText: string, acquirer: string, mapping?: GenericCsvMappingInput): Payout[] {
  switch (format) {
    case 'adyen':
      return parseAdyen(fileText, acquirer);
    case 'quickpay':
      return parseQuickPay(fileText, acquirer);
    case 'generic':
      if (!mapping) throw new SettlementParseError(1, 'a generic CSV needs a saved column mapping on the acquirer connection');
      return parseGenericCsv(fileText, mapping, acquirer);
  }
}
