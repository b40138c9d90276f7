export { ShopifyChannel, shopifyHeaders, type ShopifyChannelOptions } from './shopify-channel';
export { mapShopifyOrder, type ShopifyMapOptions } from './order';
export { mapShopifyRefund } from './refund';
