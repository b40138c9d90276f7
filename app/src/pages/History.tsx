import { useTranslation } from 'react-i18next';

export function History() {
  const { t } = useTranslation('common');
  return <h1>{t('nav.history')}</h1>;
}
