export { BillyLedger } from './adapter';
export type { BillyOptions } from './client';
