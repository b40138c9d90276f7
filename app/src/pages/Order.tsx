import { useTranslation } from 'react-i18next';

export function Order() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.order')}</h1>;
}
