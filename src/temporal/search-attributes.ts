import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** What an operator filters on in the Temporal Web UI, e.g. BookingStatus="failed" AND ShopId="shop_…". */
export const BookingStatus = defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD);
export const ShopId = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);
export const LedgerId = defineSearchAttributeKey('LedgerId', SearchAttributeType.KEYWORD);
export const ErrorCode = defineSearchAttributeKey('ErrorCode', SearchAttributeType.KEYWORD);
export const OrderNumber = defineSearchAttributeKey('OrderNumber', SearchAttributeType.KEYWORD);

export const searchAttributes = [BookingStatus, ShopId, LedgerId, ErrorCode, OrderNumber];
