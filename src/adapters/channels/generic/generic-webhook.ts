import { decodeHexDigest, headerValue, hmacSha256, matchesAnySecret, secretList } from '../signature';
import type { ChannelHeaders, WebhookVerifier } from '../port';

export const genericSignatureHeader = 'X-Ledgerbridge-Signature';

/**
 * Our own webhook signature for shops that post canonical orders to /v1/webhooks/*:
 * `X-Ledgerbridge-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the shop's webhook secret>`.
 * The body is already canonical JSON (validated by the route with orderSchema/refundSchema), so this is verify only.
 */
export class GenericWebhookVerifier implements WebhookVerifier {
  private readonly secrets: readonly string[];

  constructor(secret: string | readonly string[]) {
    this.secrets = secretList(secret, 'generic webhook');
  }

  verify(rawBody: Buffer, headers: ChannelHeaders): boolean {
    const header = headerValue(headers, genericSignatureHeader);
    const m = header === undefined ? null : /^sha256=(.*)$/i.exec(header);
    return matchesAnySecret(m ? decodeHexDigest(m[1]!) : undefined, rawBody, this.secrets);
  }
}

/** The header value a sender (a shop plugin, our tests) puts on a body. */
export function signGenericWebhook(rawBody: Buffer | string, secret: string): string {
  return `sha256=${hmacSha256(secret, Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')).toString('hex')}`;
}
