import { describe, expect, it } from 'vitest';
import { mappingNeeds, mappingSchema } from '../../../src/domain/mapping';
import { mapping } from './fixtures';

const issues = (input: unknown) => {
  const r = mappingSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('mapping', () => {
  it('refuses a key it does not know at any depth, naming the key', () => {
    expect(issues({ ...mapping, disputs: '5830' })).toEqual([['', 'unknown key "disputs": not a field of the mapping here']]);
    expect(issues({ ...mapping, accounts: { ...mapping.accounts, fees: '3630' } })).toEqual([['accounts', 'unknown key "fees": not a field of the mapping here']]);
    expect(issues({ ...mapping, goods: { ...mapping.goods, eu: { account: '1020', vatCode: 'S25', rate: 25 } } })).toEqual([['goods.eu', 'unknown key "rate": not a field of the mapping here']]);
    expect(issues({ ...mapping, acquirers: { nets: { fee: '7220', dispute: '5830' } } })).toEqual([['acquirers.nets', 'unknown key "dispute": not a field of the mapping here']]);
  });

  it('takes a fee and disputes account per acquirer its payment methods name, and needs them in the ledger', () => {
    const m = mappingSchema.parse({ ...mapping, acquirers: { nets: { fee: '7220', disputes: '5830' } } });
    expect(mappingNeeds(m).accounts).toEqual(expect.arrayContaining(['7220', '5830', '3630']));
    expect(issues({ ...mapping, acquirers: { nest: { disputes: '5830' } } })).toEqual([['acquirers.nest', 'no payment method names acquirer "nest" (paymentMethods name: nets, vipps-mobilepay)']]);
  });
});
