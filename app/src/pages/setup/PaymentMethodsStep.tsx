import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useChart, useMapping, useSaveMapping, type Mapping } from './data';
import { StepForm } from './step-form';
import { AccountSelect, fieldErrors, TextField } from './fields';
import { withoutEmpty } from './mapping-form';

interface MethodRow {
  method: string;
  acquirer: string;
  receivableAccount: string;
}
/** Acquirer names the adapters and settlement formats know; the owner may type another. */
const knownAcquirers = ['nets', 'stripe', 'vipps', 'mobilepay', 'quickpay', 'clearhaus', 'adyen'];

/** Step 3: each payment method → its acquirer and the balance account that holds the acquirer's claim; per acquirer its fee and disputes accounts. */
export function PaymentMethodsStep() {
  const { t } = useTranslation('setup');
  const mapping = useMapping();
  if (mapping.isPending) return <p className="loading">{t('loading')}</p>;
  if (mapping.isError) return <ErrorNotice error={mapping.error} />;
  if (!mapping.data) return <p className="notice notice-wait">{t('methods.templatesFirst')}</p>;
  return <PaymentMethodsForm saved={mapping.data} />;
}

/** The rows start from the saved mapping (one empty row when it has no payment method yet). */
function PaymentMethodsForm({ saved }: { saved: Mapping }) {
  const { t } = useTranslation('setup');
  const chart = useChart();
  const listId = useId();
  const [rows, setRows] = useState<MethodRow[]>(() => {
    const methods = Object.entries(saved.paymentMethods).map(([method, m]) => ({ method, ...m }));
    return methods.length ? methods : [{ method: '', acquirer: '', receivableAccount: '' }];
  });
  const [own, setOwn] = useState<Record<string, { fee: string; disputes: string }>>(() =>
    Object.fromEntries(Object.entries(saved.acquirers ?? {}).map(([a, x]) => [a, { fee: x.fee ?? '', disputes: x.disputes ?? '' }])),
  );

  const save = useSaveMapping();
  const errors = fieldErrors(save.error);
  const acquirers = [...new Set(rows.map((r) => r.acquirer.trim()).filter(Boolean))];
  const setRow = (i: number, patch: Partial<MethodRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = () => {
    const paymentMethods = Object.fromEntries(rows.filter((r) => r.method.trim()).map((r) => [r.method.trim(), { acquirer: r.acquirer.trim(), receivableAccount: r.receivableAccount }]));
    const perAcquirer = Object.fromEntries(
      acquirers.map((a) => [a, withoutEmpty({ fee: own[a]?.fee ?? '', disputes: own[a]?.disputes ?? '' })] as const).filter(([, x]) => Object.keys(x).length > 0),
    );
    const body: Mapping = { ...saved, paymentMethods, acquirers: perAcquirer };
    if (Object.keys(perAcquirer).length === 0) delete body.acquirers;
    save.mutate(body);
  };

  return (
    <StepForm legend={t('methods.title')} onSubmit={() => submit()} submitLabel={t('methods.save')} save={save} savedText={t('methods.saved')}>
        <p className="where">{t('methods.explain')}</p>
        <datalist id={listId}>
          {knownAcquirers.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <table>
          <caption>{t('methods.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('methods.method')}</th>
              <th scope="col">{t('methods.acquirer')}</th>
              <th scope="col">{t('methods.receivable')}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const at = `paymentMethods.${r.method.trim()}`;
              return (
                <tr key={i}>
                  <td>
                    <TextField hideLabel label={t('methods.methodN', { n: i + 1 })} value={r.method} onChange={(method) => setRow(i, { method })} placeholder="visa" error={errors[at] && !errors[`${at}.acquirer`] && !errors[`${at}.receivableAccount`] ? errors[at] : undefined} />
                  </td>
                  <td>
                    <div className="field">
                      <label className="visually-hidden" htmlFor={`${listId}-a${i}`}>
                        {t('methods.acquirerN', { n: i + 1 })}
                      </label>
                      <input id={`${listId}-a${i}`} list={listId} value={r.acquirer} placeholder="nets" onChange={(e) => setRow(i, { acquirer: e.target.value })} aria-invalid={errors[`${at}.acquirer`] ? true : undefined} />
                      {errors[`${at}.acquirer`] && <span className="field-error">{errors[`${at}.acquirer`]}</span>}
                    </div>
                  </td>
                  <td>
                    <AccountSelect hideLabel chart={chart.data} label={t('methods.receivableN', { n: i + 1 })} value={r.receivableAccount} onChange={(receivableAccount) => setRow(i, { receivableAccount })} error={errors[`${at}.receivableAccount`]} />
                  </td>
                  <td>
                    <button type="button" aria-label={t('methods.removeN', { n: i + 1 })} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="row">
          <button type="button" onClick={() => setRows([...rows, { method: '', acquirer: '', receivableAccount: '' }])}>
            {t('methods.add')}
          </button>
        </div>

        {acquirers.length > 0 && (
          <table>
            <caption>{t('methods.acquirerCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('methods.acquirer')}</th>
                <th scope="col">{t('methods.fee')}</th>
                <th scope="col">{t('methods.disputes')}</th>
              </tr>
            </thead>
            <tbody>
              {acquirers.map((a) => (
                <tr key={a}>
                  <th scope="row">{a}</th>
                  <td>
                    <AccountSelect hideLabel chart={chart.data} label={t('methods.feeOf', { acquirer: a })} value={own[a]?.fee ?? ''} onChange={(fee) => setOwn({ ...own, [a]: { fee, disputes: own[a]?.disputes ?? '' } })} error={errors[`acquirers.${a}.fee`] ?? errors[`acquirers.${a}`]} />
                  </td>
                  <td>
                    <AccountSelect hideLabel chart={chart.data} label={t('methods.disputesOf', { acquirer: a })} value={own[a]?.disputes ?? ''} onChange={(disputes) => setOwn({ ...own, [a]: { fee: own[a]?.fee ?? '', disputes } })} error={errors[`acquirers.${a}.disputes`]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </StepForm>
  );
}
