import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useSession, useShopId } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useChart, useLedgerConnection, useMapping, useSetupCheck, type LedgerConnectionView, type Mapping, type SetupReport } from './data';
import { StepForm } from './step-form';
import { fieldErrors, PairRows, SelectField, TextField } from './fields';
import { connectionBody, connectionFields, initialForm, ledgerSystems, type ConnectionForm, type LedgerSystem } from './ledger-systems';

const salesAccountsOf = (m: Mapping | null | undefined) => (m ? [...new Set([m.goods, m.shipping].flatMap((r) => [r.domestic.account, r.eu.account, r.outsideEu.account]))] : []);
const vatCodesOf = (m: Mapping | null | undefined) => (m ? Object.keys(m.vatCodes) : []);

/** Step 1: which accounting system, its keys (write-only) and settings; then the setup check and its fix. */
export function LedgerStep() {
  const { t } = useTranslation('setup');
  const connection = useLedgerConnection();
  const mapping = useMapping();
  if (connection.isError) return <ErrorNotice error={connection.error} />;
  if (!connection.data || !mapping.isFetched) return <p className="loading">{t('loading')}</p>;
  return <LedgerForm saved={connection.data} mapping={mapping.data ?? null} />;
}

/** The form starts from what is saved; choosing another system starts that system's form. */
function LedgerForm({ saved, mapping }: { saved: LedgerConnectionView; mapping: Mapping | null }) {
  const { t } = useTranslation('setup');
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const hints = { salesAccounts: salesAccountsOf(mapping), vatCodes: vatCodesOf(mapping) };
  const [form, setForm] = useState<ConnectionForm>(() => initialForm(saved.system as LedgerSystem, saved.settings, hints));

  const save = useMutation({
    mutationFn: (f: ConnectionForm) => api<{ system: string; setup: SetupReport | null }>('/v1/ledger/connection', { method: 'PUT', body: connectionBody(f) }),
    onSuccess: (answer, sent) => {
      // Secrets are write-only: once saved they leave the page too.
      const secrets = new Set(connectionFields[sent.system].credentials.map((f) => f.key));
      setForm((f) => ({ ...f, values: Object.fromEntries(Object.entries(f.values).filter(([k]) => !secrets.has(k))) }));
      if (answer.setup) queryClient.setQueryData(['shop', shopId, 'setup', 'check'], answer.setup);
      void queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'setup'] });
      void queryClient.invalidateQueries({ queryKey: ['session'] });
    },
  });
  const errors = fieldErrors(save.error);
  const spec = connectionFields[form.system];
  const chooseSystem = (system: LedgerSystem) => {
    save.reset();
    setForm(initialForm(system, system === saved.system ? saved.settings : null, hints));
  };
  const setValue = (key: string, value: string) => setForm({ ...form, values: { ...form.values, [key]: value } });
  const savedSystem = saved.system;

  return (
    <div className="stack">
      <p>
        {t('ledger.connected', { system: t(`ledger.system.${savedSystem}`) })}
        {savedSystem !== 'local' && ` ${saved.credentialsSaved ? t('ledger.keysSaved') : t('ledger.keysMissing')}`}
      </p>
      <StepForm legend={t('ledger.title')} onSubmit={() => save.mutate(form)} submitLabel={form.system === 'local' ? t('ledger.useLocal') : t('ledger.connect')} save={save} savedText={save.isSuccess ? t('ledger.saved', { system: t(`ledger.system.${save.data.system}`) }) : ''}>
          <SelectField
            label={t('ledger.systemLabel')}
            value={form.system}
            onChange={(v) => chooseSystem(v as LedgerSystem)}
            options={ledgerSystems.map((s) => ({ value: s, label: t(`ledger.system.${s}`) }))}
            error={errors.system}
          />
          <p className="where">{t(`ledger.where.${form.system}`)}</p>
          {spec.credentials.length > 0 && (
            <div className="cards">
              {spec.credentials.map((f) => (
                <TextField
                  key={f.key}
                  type="password"
                  label={t(`ledger.field.${f.key}`)}
                  value={form.values[f.key] ?? ''}
                  onChange={(v) => setValue(f.key, v)}
                  placeholder={saved.credentialsSaved && savedSystem === form.system ? t('ledger.secretSaved') : undefined}
                  hint={t('ledger.secretHint')}
                  error={errors[`credentials.${f.key}`] ?? errors.credentials}
                />
              ))}
            </div>
          )}
          {spec.settings.some((f) => f.kind !== 'accountMap' && f.kind !== 'vatMap') && (
            <div className="cards">
              {spec.settings
                .filter((f) => f.kind !== 'accountMap' && f.kind !== 'vatMap')
                .map((f) =>
                  f.kind === 'customerMode' ? (
                    <SelectField
                      key={f.key}
                      label={t('ledger.field.customerMode')}
                      value={form.values[f.key] ?? 'collective'}
                      onChange={(v) => setValue(f.key, v)}
                      options={['collective', 'per_customer'].map((m) => ({ value: m, label: t(`ledger.customerMode.${m}`) }))}
                      error={errors[`settings.${f.key}`]}
                    />
                  ) : (
                    <TextField
                      key={f.key}
                      label={`${t(`ledger.field.${f.key}`)}${f.required ? '' : ` ${t('optional')}`}`}
                      value={form.values[f.key] ?? ''}
                      onChange={(v) => setValue(f.key, v)}
                      hint={t(`ledger.hint.${form.system}.${f.key}`, { defaultValue: '' }) || undefined}
                      error={errors[`settings.${f.key}`]}
                    />
                  ),
                )}
            </div>
          )}
          {spec.settings
            .filter((f) => f.kind === 'accountMap' || f.kind === 'vatMap')
            .map((f) => (
              <PairRows
                key={f.key}
                legend={t(`ledger.map.${form.system}.${f.key}`)}
                keyLabel={f.kind === 'accountMap' ? t('ledger.map.account') : t('ledger.map.ourVat')}
                valueLabel={t(`ledger.map.value.${form.system}.${f.key}`)}
                rows={form.maps[f.key] ?? []}
                onChange={(rows) => setForm({ ...form, maps: { ...form.maps, [f.key]: rows } })}
                valueOptions={f.values ? [...f.values] : undefined}
                errors={errors}
                path={`settings.${f.key}`}
              />
            ))}
      </StepForm>
      <SetupFindings hasMapping={Boolean(mapping)} />
    </div>
  );
}

/** The setup check's findings for the saved mapping, and the button that creates what the ledger's API can create. */
function SetupFindings({ hasMapping }: { hasMapping: boolean }) {
  const { t } = useTranslation('setup');
  const { can } = useSession();
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const check = useSetupCheck(hasMapping);
  const chart = useChart();
  const create = useMutation({
    mutationFn: () => api<{ created: string[] }>('/v1/ledger/accounts', { method: 'POST', body: { approve: true } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'setup'] }),
  });
  const report = check.data;
  const missing = report ? report.missingAccounts.length + report.missingVatCodes.length + report.missingPaymentTerms.length : 0;
  return (
    <section className="card" aria-labelledby="setup-check-title">
      <h3 id="setup-check-title">{t('check.title')}</h3>
      {!hasMapping ? (
        <p>{t('check.noMapping')}</p>
      ) : !can('configure') ? (
        <p>{t('check.ownerOnly')}</p>
      ) : check.isPending ? (
        <p className="loading">{t('loading')}</p>
      ) : check.isError ? (
        <ErrorNotice error={check.error} />
      ) : (
        <div role="status" className="stack">
          {missing === 0 ? (
            <p className="notice notice-ok">{t('check.allFound')}</p>
          ) : (
            <div className="notice notice-wait">
              <p>{t('check.missing')}</p>
              <ul>
                {report!.missingAccounts.length > 0 && <li>{t('check.accounts', { list: report!.missingAccounts.join(', ') })}</li>}
                {report!.missingVatCodes.length > 0 && <li>{t('check.vatCodes', { list: report!.missingVatCodes.join(', ') })}</li>}
                {report!.missingPaymentTerms.length > 0 && <li>{t('check.paymentTerms', { list: report!.missingPaymentTerms.join(', ') })}</li>}
              </ul>
            </div>
          )}
          {create.isSuccess && <p className="notice notice-ok">{t('check.created', { count: create.data.created.length, list: create.data.created.join(', ') })}</p>}
        </div>
      )}
      <div className="row">
        {hasMapping && can('configure') && (
          <button type="button" onClick={() => void check.refetch()} disabled={check.isFetching}>
            {t('check.again')}
          </button>
        )}
        {report && report.missingAccounts.length > 0 && can('configure') && chart.data?.createsAccounts && (
          <button type="button" className="primary" onClick={() => create.mutate()} disabled={create.isPending}>
            {t('check.create')}
          </button>
        )}
      </div>
      {report && report.missingAccounts.length > 0 && chart.data && !chart.data.createsAccounts && <p className="fix">{t('check.createInLedger', { system: t(`ledger.system.${chart.data.system}`) })}</p>}
      {create.isError && <ErrorNotice error={create.error} />}
    </section>
  );
}
