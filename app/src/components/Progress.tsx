/**
 * A labelled progress bar: `done` of `total`, announced as a progressbar, with the count on it. Given `valueText`, the
 * bar is read out as those words instead and shows no count (the page shows the words beside it); `tone` marks a
 * failed bar, or one still moving between its steps.
 */
export function Progress({ done, total, label, valueText, tone }: { done: number; total: number; label: string; valueText?: string; tone?: 'bad' | 'running' }) {
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-valuetext={valueText}>
      <div className={tone ? `progress-bar progress-bar-${tone}` : 'progress-bar'} style={{ width: `${percent}%` }} />
      {valueText === undefined && (
        <span className="progress-text">
          {done} / {total}
        </span>
      )}
    </div>
  );
}
