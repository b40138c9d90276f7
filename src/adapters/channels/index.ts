export * from './port';
export { decimalToMinor, fractionToPercent, DecimalError, type Rounding } from './decimal';
export { inferVatRate } from './vat-rate';
export type { MappedOrder } from './mapping';
export * from './generic';
export * from './shopify';
export * from './woocommerce';
