export { DineroLedger } from './adapter';
export type { DineroOptions } from './client';
export { RequestPacer } from './pacer';
