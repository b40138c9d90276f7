import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useShopId } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatDate } from '../../format';
import { currentLocale } from '../../i18n';
import { useAcquirers, useMapping } from './data';
import { StepForm } from './step-form';
import { fieldErrors, SelectField, TextField } from './fields';

/** Where payouts come from (POST /v1/acquirers): an acquirer's API, or settlement files the owner uploads. */
const sources = ['stripe', 'nets', 'vipps', 'clearhaus', 'adyen', 'quickpay', 'generic'] as const;
type Source = (typeof sources)[number];
const apiSources: Source[] = ['stripe', 'nets', 'vipps', 'clearhaus'];

interface Form {
  acquirer: string;
  source: Source;
  apiKey: string;
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  merchantSerialNumber: string;
}
const emptyForm = (acquirer = ''): Form => ({ acquirer, source: 'stripe', apiKey: '', clientId: '', clientSecret: '', subscriptionKey: '', merchantSerialNumber: '' });

function acquirerBody(f: Form) {
  const base = { acquirer: f.acquirer.trim(), source: f.source };
  if (f.source === 'stripe' || f.source === 'nets') return { ...base, apiKey: f.apiKey.trim() || undefined };
  if (f.source === 'vipps') return { ...base, vipps: { clientId: f.clientId.trim(), clientSecret: f.clientSecret.trim(), subscriptionKey: f.subscriptionKey.trim(), merchantSerialNumber: f.merchantSerialNumber.trim() } };
  if (f.source === 'clearhaus') return { ...base, clearhaus: { clientId: f.clientId.trim(), clientSecret: f.clientSecret.trim() } };
  return base;
}

/** Step 5: each acquirer the payment methods name gets a connection: its API keys, or settlement-file uploads. */
export function AcquirersStep() {
  const { t } = useTranslation('setup');
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const connections = useAcquirers();
  const mapping = useMapping();
  const listId = useId();
  const named = [...new Set(Object.values(mapping.data?.paymentMethods ?? {}).map((m) => m.acquirer))];
  const connected = new Set((connections.data ?? []).map((c) => c.acquirer));
  const [form, setForm] = useState<Form>(() => emptyForm());
  const save = useMutation({
    mutationFn: (f: Form) => api<{ connectionId: string }>('/v1/acquirers', { method: 'POST', body: acquirerBody(f) }),
    onSuccess: () => {
      setForm(emptyForm());
      void queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'setup', 'acquirers'] });
    },
  });
  const errors = fieldErrors(save.error);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  return (
    <div className="stack">
      {named.length > 0 && (
        <p>
          {t('acquirers.named', { list: named.join(', ') })}{' '}
          {named.filter((a) => !connected.has(a)).length > 0 && connections.data ? t('acquirers.unconnected', { list: named.filter((a) => !connected.has(a)).join(', ') }) : null}
        </p>
      )}
      {connections.isError && <ErrorNotice error={connections.error} />}
      {connections.data && connections.data.length > 0 && (
        <table>
          <caption>{t('acquirers.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('acquirers.acquirer')}</th>
              <th scope="col">{t('acquirers.source')}</th>
              <th scope="col">{t('acquirers.payoutsFrom')}</th>
              <th scope="col">{t('acquirers.since')}</th>
            </tr>
          </thead>
          <tbody>
            {connections.data.map((c) => (
              <tr key={c.connectionId}>
                <td>{c.acquirer}</td>
                <td>{t(`acquirers.sourceName.${c.source}`, { defaultValue: c.source })}</td>
                <td>{c.takesFiles ? <Link to="/payouts">{t('acquirers.uploadThere')}</Link> : t('acquirers.fetched')}</td>
                <td>{formatDate(c.createdAt, currentLocale())}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <StepForm legend={t('acquirers.add')} showLegend onSubmit={() => save.mutate(form)} submitLabel={t('acquirers.connect')} save={save} savedText={t('acquirers.saved')}>
          <datalist id={listId}>
            {named.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <div className="cards">
            <div className={`field${errors.acquirer ? ' field-invalid' : ''}`}>
              <label htmlFor={`${listId}-name`}>{t('acquirers.acquirer')}</label>
              <input id={`${listId}-name`} list={listId} value={form.acquirer} onChange={(e) => set({ acquirer: e.target.value })} aria-describedby={`${listId}-hint`} aria-invalid={errors.acquirer ? true : undefined} />
              <span id={`${listId}-hint`} className="field-hint">
                {t('acquirers.acquirerHint')}
              </span>
              {errors.acquirer && <span className="field-error">{errors.acquirer}</span>}
            </div>
            <SelectField label={t('acquirers.source')} value={form.source} onChange={(v) => set({ source: v as Source })} options={sources.map((s) => ({ value: s, label: t(`acquirers.sourceName.${s}`) }))} error={errors.source} />
          </div>
          <p className="where">{t(`acquirers.where.${form.source}`)}</p>
          {apiSources.includes(form.source) && (
            <div className="cards">
              {(form.source === 'stripe' || form.source === 'nets') && <TextField type="password" label={t('acquirers.apiKey')} value={form.apiKey} onChange={(apiKey) => set({ apiKey })} error={errors.apiKey} />}
              {(form.source === 'vipps' || form.source === 'clearhaus') && (
                <>
                  <TextField type="password" label={t('acquirers.clientId')} value={form.clientId} onChange={(clientId) => set({ clientId })} error={errors[`${form.source}.clientId`] ?? errors[form.source]} />
                  <TextField type="password" label={t('acquirers.clientSecret')} value={form.clientSecret} onChange={(clientSecret) => set({ clientSecret })} error={errors[`${form.source}.clientSecret`]} />
                </>
              )}
              {form.source === 'vipps' && (
                <>
                  <TextField type="password" label={t('acquirers.subscriptionKey')} value={form.subscriptionKey} onChange={(subscriptionKey) => set({ subscriptionKey })} error={errors['vipps.subscriptionKey']} />
                  <TextField label={t('acquirers.msn')} value={form.merchantSerialNumber} onChange={(merchantSerialNumber) => set({ merchantSerialNumber })} error={errors['vipps.merchantSerialNumber']} />
                </>
              )}
            </div>
          )}
      </StepForm>
    </div>
  );
}
