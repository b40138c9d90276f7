import { useTranslation } from 'react-i18next';

export function Sales() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.sales')}</h1>;
}
