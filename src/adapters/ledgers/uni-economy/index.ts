export { UniEconomyLedger } from './adapter';
export type { UniEconomyOptions } from './client';
