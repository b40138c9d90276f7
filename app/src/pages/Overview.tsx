import { useTranslation } from 'react-i18next';

export function Overview() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.overview')}</h1>;
}
