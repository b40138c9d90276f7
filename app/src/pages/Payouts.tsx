import { useTranslation } from 'react-i18next';

export function Payouts() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.payouts')}</h1>;
}
