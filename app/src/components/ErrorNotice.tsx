import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** What went wrong, as the API said it, with each field and its reason; announced to screen readers. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation('common');
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="notice notice-bad" role="alert">
      <strong>{t('error.title')}</strong> {message}
      {error instanceof ApiError && error.issues.length > 0 && (
        <ul>
          {error.issues.map((i) => (
            <li key={i.path}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
