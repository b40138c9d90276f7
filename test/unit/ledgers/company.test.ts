import { describe, expect, it } from 'vitest';
import { ledgerCompany } from '../../../src/adapters/ledgers/company';
import { ledgerConnectionSchema } from '../../../src/adapters/ledgers/connection';

describe('ledgerCompany', () => {
  it('names the company each system books into, whatever else the connection says', () => {
    const billy = (daybookId: string) =>
      ledgerConnectionSchema.parse({ system: 'billy', credentials: { accessToken: 'token-123456' }, settings: { organizationId: 'org-1', daybookId, products: {} } });
    expect(ledgerCompany(billy('a'), 'led_1')).toBe('org-1');
    expect(ledgerCompany(billy('b'), 'led_2')).toBe(ledgerCompany(billy('a'), 'led_1'));
    expect(ledgerCompany({ system: 'local' }, 'led_1')).toBe('led_1');
  });

  it("stands for an e-conomic agreement by its grant token's hash, never the token", () => {
    const economic = (agreementGrantToken: string) =>
      ledgerConnectionSchema.parse({
        system: 'e-conomic',
        credentials: { appSecretToken: 'app-secret-1', agreementGrantToken },
        settings: { journalNumber: 1, layoutNumber: 1, paymentTermsNumber: 1, customerGroupNumber: 1, products: {} },
      });
    const company = ledgerCompany(economic('grant-token-A'), 'led_1');
    expect(company).toMatch(/^grant:[0-9a-f]{64}$/);
    expect(company).not.toContain('grant-token-A');
    expect(ledgerCompany(economic('grant-token-A'), 'led_2')).toBe(company);
    expect(ledgerCompany(economic('grant-token-B'), 'led_1')).not.toBe(company);
  });
});
