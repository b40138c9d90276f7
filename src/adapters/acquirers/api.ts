import { ClearhausAcquirer } from './clearhaus/clearhaus-acquirer';
import { clearhausCredentialsSchema } from './clearhaus/report';
import { NexiAcquirer } from './nexi/nexi-acquirer';
import type { AcquirerPort } from './port';
import { StripeAcquirer } from './stripe/stripe-acquirer';
import { vippsCredentialsSchema } from './vipps/report';
import { VippsAcquirer } from './vipps/vipps-acquirer';

/** Connection sources whose payouts we fetch from the acquirer's API on a schedule (the rest are delivered to us). */
export const apiSources = ['stripe', 'nets', 'vipps', 'clearhaus'] as const;
export type ApiSource = (typeof apiSources)[number];
export const isApiSource = (source: string): source is ApiSource => (apiSources as readonly string[]).includes(source);

/** Where each API is; the vendor's own host when absent (tests point these at local fakes). */
export interface AcquirerEndpoints {
  stripe?: string;
  nets?: string;
  vipps?: string;
  clearhaus?: string;
}

/** The adapter for a connection, from its opened (unsealed) credentials: an API key, or JSON (Vipps MobilePay, Clearhaus). */
export function openAcquirer(source: ApiSource, secret: string, acquirer: string, endpoints: AcquirerEndpoints = {}): AcquirerPort {
  switch (source) {
    case 'stripe':
      return new StripeAcquirer({ apiKey: secret, baseUrl: endpoints.stripe, acquirer });
    case 'nets':
      return new NexiAcquirer({ apiKey: secret, baseUrl: endpoints.nets, acquirer });
    case 'vipps':
      return new VippsAcquirer({ credentials: vippsCredentialsSchema.parse(JSON.parse(secret)), baseUrl: endpoints.vipps, acquirer });
    case 'clearhaus':
      return new ClearhausAcquirer({ credentials: clearhausCredentialsSchema.parse(JSON.parse(secret)), baseUrl: endpoints.clearhaus, acquirer });
  }
}
