import { useTranslation } from 'react-i18next';

export function Report() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.report')}</h1>;
}
