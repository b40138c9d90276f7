import { useTranslation } from 'react-i18next';

export function Operator() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.operator')}</h1>;
}
