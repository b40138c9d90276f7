import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useShopId } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { payoutKeys, type AcquirerConnection } from './api';
import { decodeFile, outcomeOf, outcomeOfError, type UploadOutcome } from './upload';

type Upload = { file: string } & ({ state: 'reading' } | UploadOutcome | { state: 'error'; error: unknown });

/**
 * Upload a settlement file for one of the shop's file connections: dropped on the zone, or chosen with the file
 * picker (the keyboard's way in). The answer is followed until the file is read or refused (see ./upload.ts).
 */
export function UploadCard() {
  const { t } = useTranslation('payouts');
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const ids = { connection: useId(), file: useId(), hint: useId() };
  const connections = useQuery({
    queryKey: payoutKeys.acquirers(shopId),
    queryFn: () => api<{ connections: AcquirerConnection[] }>('/v1/acquirers'),
    select: (d) => d.connections.filter((c) => c.takesFiles),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [upload, setUpload] = useState<Upload | null>(null);
  const connection = connections.data?.find((c) => c.connectionId === chosen) ?? connections.data?.[0];

  // A 202 with an upload id: ask its status until the file is read or refused. What is shown follows the status.
  const pending = upload?.state === 'pending' ? upload : null;
  const connectionId = connection?.connectionId ?? '';
  const status = useQuery({
    queryKey: payoutKeys.upload(shopId, pending?.statusPath ?? ''),
    queryFn: () => api<unknown>(pending!.statusPath),
    enabled: pending !== null,
    refetchInterval: (q) => (q.state.data !== undefined && outcomeOf(connectionId, q.state.data, pending?.statusPath).state !== 'pending' ? false : 1_000),
    retry: false,
  });
  let shown: Upload | null = upload;
  if (pending && status.error) shown = { file: pending.file, ...(outcomeOfError(status.error) ?? { state: 'error', error: status.error }) };
  else if (pending && status.data !== undefined) shown = { file: pending.file, ...outcomeOf(connectionId, status.data, pending.statusPath) };

  useEffect(() => {
    // The file's payouts now exist: the list shows them, and follows them until they are booked.
    if (shown?.state === 'done') void queryClient.invalidateQueries({ queryKey: payoutKeys.all(shopId) });
  }, [shown?.state, queryClient, shopId]);

  async function send(file: File | undefined) {
    if (!file || !connection) return;
    setUpload({ file: file.name, state: 'reading' });
    try {
      const content = decodeFile(await file.arrayBuffer());
      const answer = await api<unknown>(`/v1/acquirers/${encodeURIComponent(connection.connectionId)}/settlements`, {
        method: 'POST',
        text: { content, contentType: 'text/csv' },
      });
      setUpload({ file: file.name, ...outcomeOf(connection.connectionId, answer) });
    } catch (error) {
      setUpload({ file: file.name, ...(outcomeOfError(error) ?? { state: 'error', error }) });
    }
  }

  function drop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    void send(e.dataTransfer.files[0]);
  }

  if (connections.isPending) return null;
  if (connections.error) return <ErrorNotice error={connections.error} />;
  const busy = shown?.state === 'reading' || shown?.state === 'pending';

  return (
    <section className="card payouts-section" aria-labelledby={`${ids.connection}-title`}>
      <h2 id={`${ids.connection}-title`}>{t('upload.title')}</h2>
      {!connection ? (
        <p>
          {t('upload.noConnection')} <Link to="/setup">{t('upload.toSetup')}</Link>
        </p>
      ) : (
        <div className="stack">
          <label htmlFor={ids.connection} className="upload-connection">
            {t('upload.connection')}
            <select id={ids.connection} value={connection.connectionId} onChange={(e) => setChosen(e.target.value)} disabled={busy}>
              {connections.data!.map((c) => (
                <option key={c.connectionId} value={c.connectionId}>
                  {t('upload.connectionName', { acquirer: c.acquirer, source: t(`source.${c.source}`, { defaultValue: c.source }) })}
                </option>
              ))}
            </select>
          </label>
          {connection.source === 'generic' && !connection.csvMappingSaved && (
            <p className="notice notice-wait">
              {t('upload.mappingMissing')} <Link to="/setup">{t('upload.toSetup')}</Link>
            </p>
          )}
          <div
            className={`dropzone${over ? ' over' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={drop}
            data-testid="settlement-dropzone"
          >
            <p id={ids.hint}>{t('upload.drop')}</p>
            <label htmlFor={ids.file} className="file-picker">
              {t('upload.choose')}
              <input
                id={ids.file}
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                aria-describedby={ids.hint}
                disabled={busy}
                onChange={(e) => {
                  void send(e.target.files?.[0]);
                  e.target.value = '';
                }}
              />
            </label>
          </div>
          <UploadStatus upload={shown} />
        </div>
      )}
    </section>
  );
}

/** Where the upload stands, announced: progress and success politely, a refusal as an alert with its line. */
function UploadStatus({ upload }: { upload: Upload | null }) {
  const { t } = useTranslation('payouts');
  const refusal = upload?.state === 'refused' ? upload : null;
  return (
    <>
      <div role="status" className={upload?.state === 'done' ? 'notice notice-ok' : undefined}>
        {upload?.state === 'reading' && t('upload.sending', { file: upload.file })}
        {upload?.state === 'pending' && (upload.linesRead === null ? t('upload.parsing', { file: upload.file }) : t('upload.parsingLines', { file: upload.file, count: upload.linesRead }))}
        {upload?.state === 'done' && t('upload.done', { file: upload.file, count: upload.payouts, new: upload.new })}
      </div>
      {refusal && (
        <div role="alert" className="notice notice-bad">
          <strong>{refusal.line === null ? t('upload.refused', { file: upload!.file }) : t('upload.refusedLine', { file: upload!.file, line: refusal.line })}</strong>
          <p className="refusal-reason">{refusal.reason}</p>
          <p>{t('upload.nothingBooked')}</p>
        </div>
      )}
      {upload?.state === 'error' && <ErrorNotice error={upload.error} />}
    </>
  );
}
