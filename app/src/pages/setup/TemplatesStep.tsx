import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { regions, useChart, useLedger, useLedgerConnection, useMapping, useSaveMapping, type Chart, type Mapping } from './data';
import { StepForm } from './step-form';
import { AccountSelect, fieldErrors, TextField, VatSelect } from './fields';
import { baseMapping, templateRows, vatChoices, withoutEmpty, type Templates } from './mapping-form';

interface Form {
  homeCountry: string;
  readyStatuses: string;
  templates: Templates;
  vatCodes: Record<string, { rate: string; account: string }>;
  customerReceivableAccount: string;
  bank: string;
  fee: string;
  error: string;
  rounding: string;
  currencyDifference: string;
  giftCardAccount: string;
}

const emptyTemplates = (): Templates => ({
  goods: { domestic: { account: '', vatCode: '' }, eu: { account: '', vatCode: '' }, outsideEu: { account: '', vatCode: '' } },
  shipping: { domestic: { account: '', vatCode: '' }, eu: { account: '', vatCode: '' }, outsideEu: { account: '', vatCode: '' } },
});
const homeOf: Record<string, string> = { DKK: 'DK', NOK: 'NO', SEK: 'SE', EUR: 'FI' };

function formFrom(m: Mapping | null, currency: string | undefined): Form {
  return {
    homeCountry: m?.homeCountry ?? homeOf[currency ?? ''] ?? '',
    readyStatuses: (m?.readyStatuses ?? ['paid']).join(', '),
    templates: m ? { goods: structuredClone(m.goods), shipping: structuredClone(m.shipping) } : emptyTemplates(),
    vatCodes: Object.fromEntries(Object.entries(m?.vatCodes ?? {}).map(([c, v]) => [c, { rate: String(v.rate), account: v.account }])),
    customerReceivableAccount: m?.customerReceivableAccount ?? '',
    bank: m?.accounts.bank ?? '',
    fee: m?.accounts.fee ?? '',
    error: m?.accounts.error ?? '',
    rounding: m?.accounts.rounding ?? '',
    currencyDifference: m?.accounts.currencyDifference ?? '',
    giftCardAccount: m?.giftCardAccount ?? '',
  };
}

/** The VAT codes the templates use, each with its rate and output VAT account (from the ledger where it says). */
function usedVatCodes(form: Form, chart: Chart | undefined) {
  const used = [...new Set(templateRows.flatMap((r) => regions.map((g) => form.templates[r][g].vatCode)).filter(Boolean))];
  return used.map((code) => {
    const saved = form.vatCodes[code];
    const known = chart?.vatCodes.find((c) => c.code === code);
    return { code, rate: saved?.rate ?? (known?.rate !== null && known?.rate !== undefined ? String(known.rate) : ''), account: saved?.account ?? '' };
  });
}

/** Step 2: the six enrichment templates (goods and shipping × domestic, EU, outside EU) and the accounts every order needs. */
export function TemplatesStep() {
  const { t } = useTranslation('setup');
  const mapping = useMapping();
  const ledger = useLedger();
  if (mapping.isError) return <ErrorNotice error={mapping.error} />;
  if (!mapping.isFetched || !ledger.isFetched) return <p className="loading">{t('loading')}</p>;
  return <TemplatesForm saved={mapping.data ?? null} currency={ledger.data?.currency} />;
}

/** The form starts from the saved mapping; a new one guesses the home country from the ledger's currency. */
function TemplatesForm({ saved, currency }: { saved: Mapping | null; currency: string | undefined }) {
  const { t } = useTranslation('setup');
  const chart = useChart();
  const connection = useLedgerConnection();
  const [form, setForm] = useState<Form>(() => formFrom(saved, currency));

  const save = useSaveMapping();
  const errors = fieldErrors(save.error);
  const codes = vatChoices(chart.data, saved);
  const vatRows = usedVatCodes(form, chart.data);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const setCell = (row: 'goods' | 'shipping', region: (typeof regions)[number], field: 'account' | 'vatCode', value: string) =>
    set({ templates: { ...form.templates, [row]: { ...form.templates[row], [region]: { ...form.templates[row][region], [field]: value } } } });

  const submit = () => {
    const base = baseMapping(saved);
    const body = {
      ...base,
      homeCountry: form.homeCountry.trim().toUpperCase(),
      readyStatuses: form.readyStatuses.split(',').map((s) => s.trim()).filter(Boolean),
      goods: form.templates.goods,
      shipping: form.templates.shipping,
      vatCodes: { ...base.vatCodes, ...Object.fromEntries(vatRows.map((v) => [v.code, { rate: v.rate === '' ? NaN : Number(v.rate.replace(',', '.')), account: v.account }])) },
      customerReceivableAccount: form.customerReceivableAccount,
      accounts: withoutEmpty({ bank: form.bank, fee: form.fee, error: form.error, rounding: form.rounding, currencyDifference: form.currencyDifference }),
      giftCardAccount: form.giftCardAccount || undefined,
    } as Mapping;
    if (!body.giftCardAccount) delete body.giftCardAccount;
    save.mutate(body);
  };
  const account = (key: 'customerReceivableAccount' | 'bank' | 'fee' | 'error' | 'rounding' | 'currencyDifference' | 'giftCardAccount', path: string, optional = false) => (
    <AccountSelect
      chart={chart.data}
      label={`${t(`templates.account.${key}`)}${optional ? ` ${t('optional')}` : ''}`}
      hint={t(`templates.accountHint.${key}`)}
      value={form[key]}
      onChange={(v) => set({ [key]: v })}
      error={errors[path]}
    />
  );

  return (
    <StepForm legend={t('templates.title')} onSubmit={() => submit()} submitLabel={t('templates.save')} save={save} savedText={t('templates.saved')}>
        {chart.isError && <ErrorNotice error={chart.error} />}
        {connection.data && <p className="where">{t('templates.fromLedger', { system: t(`ledger.system.${connection.data.system}`), count: chart.data?.accounts.length ?? 0 })}</p>}
        <table className="templates">
          <caption>{t('templates.caption')}</caption>
          <thead>
            <tr>
              <td />
              {regions.map((r) => (
                <th key={r} scope="col">
                  {t(`templates.region.${r}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {templateRows.map((row) => (
              <tr key={row}>
                <th scope="row">{t(`templates.row.${row}`)}</th>
                {regions.map((region) => {
                  const name = `${t(`templates.row.${row}`)}, ${t(`templates.region.${region}`)}`;
                  return (
                    <td key={region} className="template-cell">
                      <AccountSelect
                        chart={chart.data}
                        srPrefix={`${name}:`}
                        label={t('templates.cellAccount')}
                        value={form.templates[row][region].account}
                        onChange={(v) => setCell(row, region, 'account', v)}
                        error={errors[`${row}.${region}.account`] ?? errors[`${row}.${region}`]}
                      />
                      <VatSelect
                        codes={codes}
                        srPrefix={`${name}:`}
                        label={t('templates.cellVat')}
                        value={form.templates[row][region].vatCode}
                        onChange={(v) => setCell(row, region, 'vatCode', v)}
                        error={errors[`${row}.${region}.vatCode`]}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>

        {vatRows.length > 0 && (
          <table>
            <caption>{t('templates.vatCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('templates.vatCode')}</th>
                <th scope="col">{t('templates.rate')}</th>
                <th scope="col">{t('templates.outputVat')}</th>
              </tr>
            </thead>
            <tbody>
              {vatRows.map((v) => (
                <tr key={v.code}>
                  <th scope="row">{v.code}</th>
                  <td>
                    <TextField
                      hideLabel
                      type="number"
                      label={t('templates.rateOf', { code: v.code })}
                      value={v.rate}
                      onChange={(rate) => set({ vatCodes: { ...form.vatCodes, [v.code]: { rate, account: v.account } } })}
                      error={errors[`vatCodes.${v.code}.rate`]}
                    />
                  </td>
                  <td>
                    <AccountSelect
                      hideLabel
                      chart={chart.data}
                      label={t('templates.outputVatOf', { code: v.code })}
                      value={v.account}
                      onChange={(account) => set({ vatCodes: { ...form.vatCodes, [v.code]: { rate: v.rate, account } } })}
                      error={errors[`vatCodes.${v.code}.account`] ?? errors[`vatCodes.${v.code}`]}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h3>{t('templates.accountsTitle')}</h3>
        <div className="cards">
          {account('customerReceivableAccount', 'customerReceivableAccount')}
          {account('bank', 'accounts.bank')}
          {account('fee', 'accounts.fee')}
          {account('error', 'accounts.error')}
          {account('rounding', 'accounts.rounding')}
          {account('currencyDifference', 'accounts.currencyDifference', true)}
          {account('giftCardAccount', 'giftCardAccount', true)}
        </div>
        <div className="cards">
          <TextField label={t('templates.homeCountry')} hint={t('templates.homeCountryHint')} value={form.homeCountry} onChange={(v) => set({ homeCountry: v })} error={errors.homeCountry} />
          <TextField label={t('templates.readyStatuses')} hint={t('templates.readyStatusesHint')} value={form.readyStatuses} onChange={(v) => set({ readyStatuses: v })} error={errors.readyStatuses ?? errors['readyStatuses.0']} />
        </div>
    </StepForm>
  );
}
