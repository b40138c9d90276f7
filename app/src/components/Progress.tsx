/** A labelled progress bar: `done` of `total`, announced as a progressbar. */
export function Progress({ done, total, label }: { done: number; total: number; label: string }) {
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div className="progress-bar" style={{ width: `${percent}%` }} />
      <span className="progress-text">
        {done} / {total}
      </span>
    </div>
  );
}
