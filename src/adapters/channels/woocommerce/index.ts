export { WooCommerceChannel, wooHeaders, type WooChannelOptions } from './woocommerce-channel';
export { defaultPaymentFeePattern, mapWooOrder, type WooMapOptions } from './order';
export { mapWooRefund } from './refund';
