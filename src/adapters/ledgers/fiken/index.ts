export { FikenLedger } from './adapter';
export type { FikenOptions } from './client';
export { RequestLimiter } from './limiter';
export type { FikenVatType } from './schemas';
