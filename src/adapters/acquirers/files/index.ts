import type { Payout } from '../../../domain/payout';
import { SettlementParseError } from '../port';
import { parseAdyen } from './adyen';
import { parseGenericCsv, type GenericCsvMappingInput } from './generic';
import { parseNets } from './nets';
import { parseQuickPay } from './quickpay';
import { parseVipps } from './vipps';

export { SettlementParseError } from '../port';
export { genericCsvMappingSchema, parseGenericCsv, type GenericCsvMapping, type GenericCsvMappingInput } from './generic';
export { parseAdyen } from './adyen';
export { parseNets } from './nets';
export { parseQuickPay } from './quickpay';
export { parseVipps } from './vipps';

export type SettlementFormat = 'nets' | 'adyen' | 'quickpay' | 'vipps' | 'generic';

/** Parses a settlement file whole, or throws SettlementParseError with the line and reason: never half a file. */
export function parseSettlementFile(format: SettlementFormat, fileText: string, acquirer: string, mapping?: GenericCsvMappingInput): Payout[] {
  switch (format) {
    case 'nets':
      return parseNets(fileText, acquirer);
    case 'adyen':
      return parseAdyen(fileText, acquirer);
    case 'quickpay':
      return parseQuickPay(fileText, acquirer);
    case 'vipps':
      return parseVipps(fileText, acquirer);
    case 'generic':
      if (!mapping) throw new SettlementParseError(1, 'a generic CSV needs a saved column mapping on the acquirer connection');
      return parseGenericCsv(fileText, mapping, acquirer);
  }
}
