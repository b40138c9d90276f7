import { useTranslation } from 'react-i18next';

export function Payout() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.payout')}</h1>;
}
