import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { formatDate, formatSince } from '../format';

const tone: Record<string, string> = {
  booked: 'ok',
  drafted: 'info',
  failed: 'bad',
  blocked: 'bad',
  queued: 'wait',
  pending: 'wait',
  waiting: 'wait',
  received: 'wait',
  historical: 'muted',
  cancelled: 'muted',
  posting: 'wait',
  quota_blocked: 'wait',
  registered: 'muted',
  needs_correction: 'bad',
  skipped: 'muted',
};

/**
 * Colour and words for a booking state; a queued or waiting item carries a clock whose tooltip says since when. A step
 * of a timeline (`past`) is a state the item was in, not one it waits in now: no clock.
 */
export function StateLabel({ status, since, past = false }: { status: string; since?: string; past?: boolean }) {
  const { t } = useTranslation('common');
  const waiting = !past && tone[status] === 'wait';
  const sinceText = since ? t('state.since', { when: formatSince(since, currentLocale()), date: formatDate(since, currentLocale()) }) : undefined;
  return (
    <span className={`state state-${tone[status] ?? 'muted'}`} title={waiting ? sinceText : undefined}>
      {waiting && (
        <span className="clock" aria-hidden="true">
          ◷
        </span>
      )}
      {t(`state.${status}`, { defaultValue: status })}
      {waiting && sinceText && <span className="visually-hidden">, {sinceText}</span>}
    </span>
  );
}
