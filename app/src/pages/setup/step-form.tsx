import type { ReactNode } from 'react';
import { useSession } from '../../api/session';
import { ErrorNotice } from '../../components/ErrorNotice';

/**
 * The frame of every step's form: read-only (a disabled fieldset, no submit button) for people who may not configure,
 * the save's success announced in a status region, and the API's refusal in an alert (each field's reason also shows
 * beside its field).
 */
export function StepForm({
  legend,
  showLegend,
  onSubmit,
  submitLabel,
  save,
  savedText,
  children,
}: {
  legend: string;
  showLegend?: boolean;
  onSubmit: () => void;
  submitLabel: string;
  save: { isPending: boolean; isSuccess: boolean; isError: boolean; error: unknown };
  savedText: string;
  children: ReactNode;
}) {
  const { can } = useSession();
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <fieldset disabled={!can('configure')} className="stack">
        <legend className={showLegend ? undefined : 'visually-hidden'}>{legend}</legend>
        {children}
        {can('configure') && (
          <div className="row">
            <button type="submit" className="primary" disabled={save.isPending}>
              {submitLabel}
            </button>
          </div>
        )}
      </fieldset>
      <div role="status">{save.isSuccess && <p className="notice notice-ok">{savedText}</p>}</div>
      {save.isError && <ErrorNotice error={save.error} />}
    </form>
  );
}
