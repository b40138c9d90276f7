import type { Payout } from '../../../domain/payout';
import { parseAdyen } from './adyen';
import { parseGenericCsv, type GenericCsvMapping } from './generic';
import { parseNets } from './nets';
import { parseQuickPay } from './quickpay';
import { parseVipps } from './vipps';
import { SettlementParseError } from './parse-error';

export { SettlementParseError } from './parse-error';
export { genericCsvMappingSchema, type GenericCsvMapping } from './generic';

export type SettlementFormat = 'nets' | 'adyen' | 'quickpay' | 'vipps' | 'generic';

/** Parses a settlement file whole, or throws SettlementParseError with the line and reason: never half a file. */
export function parseSettlementFile(format: SettlementFormat, text: string, acquirer: string, mapping?: GenericCsvMapping): Payout[] {
  switch (format) {
    case 'nets':
      return parseNets(text, acquirer);
    case 'adyen':
      return parseAdyen(text, acquirer);
    case 'quickpay':
      return parseQuickPay(text, acquirer);
    case 'vipps':
      return parseVipps(text, acquirer);
    case 'generic':
      if (!mapping) throw new SettlementParseError(1, 'a generic CSV needs a saved column mapping on the acquirer connection');
      return parseGenericCsv(text, mapping, acquirer);
  }
}
