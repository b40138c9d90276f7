import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../api/session';
import { AcquirersStep } from './setup/AcquirersStep';
import { ChannelStep } from './setup/ChannelStep';
import { useAcquirers, useChannel, useLedgerConnection, useMapping, useSetupCheck } from './setup/data';
import { LedgerStep } from './setup/LedgerStep';
import { PaymentMethodsStep } from './setup/PaymentMethodsStep';
import { TemplatesStep } from './setup/TemplatesStep';

const steps = ['ledger', 'templates', 'methods', 'channel', 'acquirers'] as const;
type Step = (typeof steps)[number];

/**
 * Setup as a guided sequence the owner can come back to: five steps, each marked done or not from what the API holds
 * (not from what was clicked), one shown at a time; the address names the step so it can be bookmarked. People who
 * may not configure see every step read-only.
 */
export function Setup() {
  const { t } = useTranslation('setup');
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const connection = useLedgerConnection();
  const mapping = useMapping();
  const check = useSetupCheck(Boolean(mapping.data));
  const channel = useChannel();
  const acquirers = useAcquirers();

  const named = [...new Set(Object.values(mapping.data?.paymentMethods ?? {}).map((m) => m.acquirer))];
  const done: Record<Step, boolean | undefined> = {
    // Connected, with keys where the system needs them, and nothing the mapping names missing from the ledger.
    ledger: connection.data ? (connection.data.system === 'local' || connection.data.credentialsSaved) && !hasMissing(check.data) : undefined,
    templates: mapping.isFetched ? Boolean(mapping.data) : undefined,
    methods: mapping.isFetched ? Object.keys(mapping.data?.paymentMethods ?? {}).length > 0 : undefined,
    channel: channel.data ? channel.data.platform !== null : undefined,
    acquirers: acquirers.data ? acquirers.data.length > 0 && named.every((a) => acquirers.data!.some((c) => c.acquirer === a)) : undefined,
  };
  const asked = params.get('step');
  // Without a step in the address, the first one not done; chosen once every answer is in, so it does not jump.
  const settled = !connection.isPending && !mapping.isPending && !channel.isPending && !acquirers.isPending && !check.isLoading;
  const current: Step = steps.includes(asked as Step) ? (asked as Step) : (steps.find((s) => done[s] === false) ?? 'ledger');
  const next = steps[steps.indexOf(current) + 1];
  const goTo = (step: Step) => setParams({ step });
  const doneCount = steps.filter((s) => done[s]).length;

  return (
    <div className="setup">
      <h1>{t('title')}</h1>
      <p>{t('intro', { done: doneCount, total: steps.length })}</p>
      {!can('configure') && <p className="notice notice-wait">{t('readOnly')}</p>}
      <div className="setup-layout">
        <nav aria-label={t('stepsLabel')} className="setup-steps">
          <ol>
            {steps.map((s, i) => (
              <li key={s}>
                <Link to={`?step=${s}`} aria-current={s === current ? 'step' : undefined} className={s === current ? 'current' : undefined}>
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span className="step-name">{t(`step.${s}`)}</span>
                  <span className={`state ${done[s] ? 'state-ok' : done[s] === false ? 'state-wait' : 'state-muted'}`}>{done[s] ? t('done') : done[s] === false ? t('notDone') : '…'}</span>
                </Link>
              </li>
            ))}
          </ol>
        </nav>
        {!steps.includes(asked as Step) && !settled ? (
          <p className="loading">{t('loading')}</p>
        ) : (
        <section className="card setup-step" aria-labelledby="setup-step-title">
          <h2 id="setup-step-title">
            {t('stepOf', { n: steps.indexOf(current) + 1, total: steps.length })} {t(`step.${current}`)}
          </h2>
          <p className="fix">{t(`stepIntro.${current}`)}</p>
          {current === 'ledger' && <LedgerStep />}
          {current === 'templates' && <TemplatesStep />}
          {current === 'methods' && <PaymentMethodsStep />}
          {current === 'channel' && <ChannelStep />}
          {current === 'acquirers' && <AcquirersStep />}
          {next && (
            <div className="row step-next">
              <button type="button" onClick={() => goTo(next)}>
                {t('next', { step: t(`step.${next}`) })}
              </button>
            </div>
          )}
        </section>
        )}
      </div>
    </div>
  );
}

const hasMissing = (r: { missingAccounts: string[]; missingVatCodes: string[]; missingPaymentTerms: string[] } | null | undefined) =>
  Boolean(r && r.missingAccounts.length + r.missingVatCodes.length + r.missingPaymentTerms.length > 0);
