import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../db/client';
import { ChannelPayloadError } from '../src/adapters/channels';
import { CredentialDecryptError, type CredentialBox } from '../src/crypto/credentials';
import type { PaymentTransaction } from '../src/domain/order';
import { openChannelApi } from '../src/services/channel-api';
import { channelFailure } from './channel-failures';
import { fixFor } from './channel-refunds';

export interface OrderTransactionsInput {
  shopId: string;
  orderId: string;
  /** The order's (shop) currency: every amount must be in it. */
  currency: string;
}

/**
 * A split payment's transactions, which the order webhook does not carry: fetched from the store's REST API with the
 * keys saved for the shop (opened here, never in the workflow's history). Null when the shop saved no REST access or
 * its platform names amounts per gateway in the order itself: the payment then stays split_payment_unsupported, whose
 * fix says how to give access. The store's answers become retry decisions as for every store call (channelFailure).
 */
export function orderTransactionActivities(deps: { db: Db; credentials?: CredentialBox; testEndpoints?: boolean }) {
  return {
    async fetchOrderTransactions(input: OrderTransactionsInput): Promise<PaymentTransaction[] | null> {
      const what = `the payment transactions of order ${input.orderId} were not fetched`;
      let opened: Awaited<ReturnType<typeof openChannelApi>>;
      try {
        opened = await openChannelApi(deps.db, deps.credentials, input.shopId, deps.testEndpoints);
      } catch (err) {
        if (!(err instanceof CredentialDecryptError)) throw err;
        throw ApplicationFailure.nonRetryable(`${what}: the saved REST API keys cannot be opened; save them again with PUT /v1/channel`, 'channel_credentials_rejected');
      }
      if (!opened?.api.transactionsOf || !opened.channel.paymentTransactions) return null;
      let body: unknown;
      try {
        body = await opened.api.transactionsOf(input.orderId);
      } catch (err) {
        throw channelFailure(err, what, (kind) => fixFor[kind as keyof typeof fixFor]);
      }
      try {
        return opened.channel.paymentTransactions(body, { currency: input.currency });
      } catch (err) {
        if (!(err instanceof ChannelPayloadError)) throw err;
        throw ApplicationFailure.nonRetryable(`the payment transactions of order ${input.orderId} do not map: ${err.path}: ${err.reason}`, 'channel_payload_rejected');
      }
    },
  };
}
