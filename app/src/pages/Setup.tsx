import { useTranslation } from 'react-i18next';

export function Setup() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.setup')}</h1>;
}
