import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useShopId } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useChannel, type ChannelView } from './data';
import { StepForm } from './step-form';
import { fieldErrors, Field, SelectField, TextField } from './fields';

type Platform = 'shopify' | 'woocommerce' | 'dandomain';
const platforms: Platform[] = ['shopify', 'woocommerce', 'dandomain'];

interface Form {
  platform: Platform;
  secret: string;
  storeUrl: string;
  accessToken: string;
  consumerKey: string;
  consumerSecret: string;
  apiKey: string;
}

/** The PUT /v1/channel body; REST keys left empty keep what is saved (the API keeps them when `api` is left out). */
function channelBody(f: Form) {
  if (f.platform === 'dandomain') return { platform: f.platform, storeUrl: f.storeUrl.trim(), apiKey: f.apiKey.trim() };
  const api = f.platform === 'shopify' ? (f.accessToken ? { accessToken: f.accessToken.trim() } : undefined) : f.consumerKey || f.consumerSecret ? { consumerKey: f.consumerKey.trim(), consumerSecret: f.consumerSecret.trim() } : undefined;
  return { platform: f.platform, secret: f.secret, ...(f.storeUrl.trim() ? { storeUrl: f.storeUrl.trim() } : {}), ...(api ? { api } : {}) };
}

/** Step 4: the webshop: where its webhooks go (with a Copy button), the secret they are signed with, and REST keys. */
export function ChannelStep() {
  const { t } = useTranslation('setup');
  const channel = useChannel();
  if (channel.isError) return <ErrorNotice error={channel.error} />;
  if (!channel.data) return <p className="loading">{t('loading')}</p>;
  return <ChannelForm saved={channel.data} />;
}

/** The form starts from the saved platform and store address; secrets start empty (they are never read back). */
function ChannelForm({ saved }: { saved: ChannelView }) {
  const { t } = useTranslation('setup');
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => ({ platform: (saved.platform ?? 'shopify') as Platform, secret: '', storeUrl: saved.storeUrl ?? '', accessToken: '', consumerKey: '', consumerSecret: '', apiKey: '' }));
  const save = useMutation({
    mutationFn: (f: Form) => api<{ webhookUrl: string | null }>('/v1/channel', { method: 'PUT', body: channelBody(f) }),
    onSuccess: () => {
      // Secrets are write-only: once saved they leave the page too.
      setForm((f) => ({ ...f, secret: '', accessToken: '', consumerKey: '', consumerSecret: '', apiKey: '' }));
      void queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'setup', 'channel'] });
    },
  });
  const errors = fieldErrors(save.error);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const secretPlaceholder = saved.secretSaved && saved.platform === form.platform ? t('ledger.secretSaved') : undefined;

  return (
    <div className="stack">
      {saved.platform ? (
        <p>{t('channel.connected', { platform: t(`channel.platform.${saved.platform}`) })}</p>
      ) : (
        <p>{t('channel.none')}</p>
      )}
      {saved.webhookUrl && <WebhookAddress path={saved.webhookUrl} />}
      <StepForm legend={t('channel.title')} onSubmit={() => save.mutate(form)} submitLabel={t('channel.save')} save={save} savedText={t('channel.saved')}>
          <SelectField label={t('channel.platformLabel')} value={form.platform} onChange={(v) => set({ platform: v as Platform })} options={platforms.map((p) => ({ value: p, label: t(`channel.platform.${p}`) }))} error={errors.platform} />
          <p className="where">{t(`channel.where.${form.platform}`)}</p>
          <div className="cards">
            {form.platform !== 'dandomain' && (
              <TextField type="password" label={t('channel.secret')} hint={t(`channel.secretHint.${form.platform}`)} placeholder={secretPlaceholder} value={form.secret} onChange={(secret) => set({ secret })} error={errors.secret} />
            )}
            <TextField
              label={`${t('channel.storeUrl')}${form.platform === 'dandomain' ? '' : ` ${t('optional')}`}`}
              hint={t('channel.storeUrlHint')}
              placeholder={form.platform === 'shopify' ? 'https://my-shop.myshopify.com' : 'https://shop.example'}
              value={form.storeUrl}
              onChange={(storeUrl) => set({ storeUrl })}
              error={errors.storeUrl}
            />
            {form.platform === 'shopify' && (
              <TextField type="password" label={`${t('channel.accessToken')} ${t('optional')}`} hint={t('channel.accessTokenHint')} placeholder={saved.restApi.configured && saved.platform === 'shopify' ? t('ledger.secretSaved') : undefined} value={form.accessToken} onChange={(accessToken) => set({ accessToken })} error={errors['api.accessToken'] ?? errors.api} />
            )}
            {form.platform === 'woocommerce' && (
              <>
                <TextField type="password" label={`${t('channel.consumerKey')} ${t('optional')}`} hint={t('channel.consumerHint')} placeholder={saved.restApi.configured && saved.platform === 'woocommerce' ? t('ledger.secretSaved') : undefined} value={form.consumerKey} onChange={(consumerKey) => set({ consumerKey })} error={errors['api.consumerKey'] ?? errors.api} />
                <TextField type="password" label={`${t('channel.consumerSecret')} ${t('optional')}`} value={form.consumerSecret} onChange={(consumerSecret) => set({ consumerSecret })} error={errors['api.consumerSecret']} />
              </>
            )}
            {form.platform === 'dandomain' && (
              <TextField type="password" label={t('channel.apiKey')} hint={t('channel.apiKeyHint')} placeholder={secretPlaceholder} value={form.apiKey} onChange={(apiKey) => set({ apiKey })} error={errors.apiKey} />
            )}
          </div>
      </StepForm>
      <p className="fix">{t('channel.generic')}</p>
    </div>
  );
}

/** The full address the platform's webhooks go to, read-only, with a Copy button that says when it copied. */
function WebhookAddress({ path }: { path: string }) {
  const { t } = useTranslation('setup');
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const address = `${window.location.origin}${path}`;
  const copy = () =>
    navigator.clipboard.writeText(address).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  return (
    <Field label={t('channel.webhookUrl')} hint={t('channel.webhookHint')}>
      {(control) => (
        <div className="row copy-row">
          <input {...control} readOnly value={address} onFocus={(e) => e.target.select()} />
          <button type="button" onClick={() => void copy()}>
            {t('channel.copy')}
          </button>
          <span role="status" className="fix">
            {copied === 'yes' ? t('channel.copied') : copied === 'no' ? t('channel.copyFailed') : ''}
          </span>
        </div>
      )}
    </Field>
  );
}
