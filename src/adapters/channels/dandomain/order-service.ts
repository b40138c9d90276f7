import { z } from 'zod';
import { baseUrl, channelGet, expectBody } from '../http';

export interface DandomainOrderServiceOptions {
  /** The shop's address (https://www.shop.dk); the service is under /admin/WEBAPI/Endpoints/v1_0/OrderService. */
  storeUrl: string;
  /** The shop's API key (a GUID). Dandomain takes it in the URL path, so URLs are never logged or put in errors. */
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const servicePath = '/admin/WEBAPI/Endpoints/v1_0/OrderService';
const orderList = z.array(z.unknown());

/**
 * Dandomain's order service, read-only: orders changed within an interval, a page at a time
 * (test/fixtures/vendors/dandomain/order-service-requests.json, SOURCE.md). Answers raw orders, mapped by
 * mapDandomainOrder.
 */
export class DandomainOrderService {
  constructor(private readonly opts: DandomainOrderServiceOptions) {}

  /**
   * One page (from 1) of the orders created or changed between start and end, both `Y-m-d\TH:i:s` in the shop's time.
   * A page shorter than pageSize is the last.
   */
  async changedOrders(start: string, end: string, pageIndex: number, pageSize: number, signal?: AbortSignal): Promise<unknown[]> {
    const url = new URL(`${baseUrl(this.opts.storeUrl)}${servicePath}/${encodeURIComponent(this.opts.apiKey)}/GetByModifiedInterval`);
    url.search = new URLSearchParams({ start, end, pageIndex: String(pageIndex), pageSize: String(pageSize) }).toString();
    const { body } = await channelGet(
      {
        vendor: 'Dandomain',
        auth: () => ({}),
        // An error page may echo the URL, key and all.
        errorText: (b) => errorText(b).replaceAll(this.opts.apiKey, '{KEY}'),
        timeoutMs: this.opts.timeoutMs ?? 60_000,
        fetch: this.opts.fetch,
        signal,
        // The key is a path segment: name the operation only.
        label: () => `${servicePath}/{KEY}/GetByModifiedInterval (page ${pageIndex})`,
      },
      url,
    );
    return expectBody(orderList, body, 'Dandomain GetByModifiedInterval');
  }
}

/** The readable part of an error answer: ASP.NET's `{Message}` or a plain text body. */
function errorText(body: unknown): string {
  if (typeof body === 'string') return body;
  const message = (body as { Message?: unknown } | null)?.Message;
  return typeof message === 'string' ? message : '';
}
