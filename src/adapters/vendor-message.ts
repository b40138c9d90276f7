/** How much of a vendor's own error text we pass on: enough for "Account 1010 does not exist", no more. */
export const VENDOR_MESSAGE_MAX = 200;

/**
 * A vendor's error text as we show it to a shop (vendorMessage, channel event reasons): tags and control characters
 * removed, whitespace collapsed, cut short. A URL pointing somewhere unexpected must not turn us into a proxy that
 * reads back whatever page answered.
 */
export function sanitizeVendorMessage(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > VENDOR_MESSAGE_MAX ? `${plain.slice(0, VENDOR_MESSAGE_MAX - 1)}…` : plain;
}
