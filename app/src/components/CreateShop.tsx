import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../api/client';
import { useSession, type Session } from '../api/session';
import { ErrorNotice } from './ErrorNotice';

const currencies = ['DKK', 'NOK', 'SEK', 'EUR'];

/**
 * An owner without a shop creates the first one here (POST /v1/shops, docs/APP.md) and goes on to its setup; anyone
 * else is told to ask an owner. The shop starts with the built-in local ledger until setup connects another.
 */
export function CreateShop() {
  const { t } = useTranslation('setup');
  const { can, chooseShop } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('DKK');
  const create = useMutation({
    mutationFn: () => api<{ shopId: string }>('/v1/shops', { method: 'POST', body: { name: name.trim(), ledger: { currency } }, withoutShop: true }),
    onSuccess: async ({ shopId }) => {
      // The new shop is in the session's list once the session is read again; then it is the chosen one.
      await queryClient.fetchQuery({ queryKey: ['session'], queryFn: () => api<Session>('/v1/session', { withoutShop: true }) });
      chooseShop(shopId);
      void navigate('/setup?step=ledger');
    },
  });
  const issues = create.error instanceof ApiError ? create.error.issues : [];
  const reason = (field: string) => issues.find((i) => i.path === `body.${field}` || i.path.startsWith(`body.${field}.`))?.message;
  if (!can('configure')) return <p>{t('createShop.askOwner')}</p>; // a bookkeeper or viewer of a merchant with no shop yet
  return (
    <form
      className="card stack create-shop"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h1>{t('createShop.title')}</h1>
      <p>{t('createShop.intro')}</p>
      <label>
        {t('createShop.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required aria-invalid={reason('name') ? true : undefined} />
        {reason('name') && <span className="field-error">{reason('name')}</span>}
      </label>
      <label>
        {t('createShop.currency')}
        <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {reason('ledger') && <span className="field-error">{reason('ledger')}</span>}
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('createShop.submit')}
        </button>
      </div>
      {create.isError && <ErrorNotice error={create.error} />}
    </form>
  );
}
