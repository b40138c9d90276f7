export { EconomicLedger } from './adapter';
export type { EconomicOptions } from './client';
