import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { Chart } from './data';

/**
 * Each field's reason from a 400/422 answer, keyed by the field's path in the body ("goods.domestic.account"), so a
 * form shows it next to the field it is about. An answer without paths stays with the form's ErrorNotice.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.replace(/^body\.?/, '')] = issue.message;
  return out;
}

interface FieldProps {
  label: string;
  /** Said only to screen readers before the label ("Goods, EU: " before "Account"), where a table shows it already. */
  srPrefix?: string;
  /** Shown only to screen readers (a table cell whose row and column say it already). */
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: string;
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}

/** A label, its control, a hint and the API's reason for refusing it, tied together for screen readers. */
export function Field({ label, srPrefix, hideLabel, hint, error, children }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {srPrefix && <span className="visually-hidden">{srPrefix} </span>}
        {label}
      </label>
      {children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

interface TextProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  type?: 'text' | 'password' | 'number';
  hideLabel?: boolean;
  placeholder?: string;
  autoComplete?: string;
}

export function TextField({ label, value, onChange, hint, error, type = 'text', hideLabel, placeholder, autoComplete }: TextProps) {
  return (
    <Field label={label} hint={hint} error={error} hideLabel={hideLabel}>
      {(control) => (
        <input {...control} type={type} value={value} placeholder={placeholder} autoComplete={autoComplete ?? (type === 'password' ? 'new-password' : 'off')} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

interface SelectProps {
  label: string;
  srPrefix?: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  error?: string;
  hideLabel?: boolean;
  /** The empty choice's words; without it there is no empty choice. */
  empty?: string;
}

export function SelectField({ label, srPrefix, value, onChange, options, hint, error, hideLabel, empty }: SelectProps) {
  return (
    <Field label={label} srPrefix={srPrefix} hint={hint} error={error} hideLabel={hideLabel}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The ledger's accounts as "1010 — Sales of goods, domestic"; a saved number the ledger lacks stays visible, marked. */
export function AccountSelect(props: Omit<SelectProps, 'options' | 'empty'> & { chart: Chart | undefined }) {
  const { t } = useTranslation('setup');
  const accounts = props.chart?.accounts ?? [];
  const options = accounts.map((a) => ({ value: a.number, label: a.name ? `${a.number} — ${a.name}` : a.number }));
  if (props.value && !accounts.some((a) => a.number === props.value)) options.unshift({ value: props.value, label: t('notInLedger', { value: props.value }) });
  return <SelectField {...props} options={options} empty={t('chooseAccount')} />;
}

/** VAT codes from the ledger and those the mapping knows already, with their rate. */
export function VatSelect(props: Omit<SelectProps, 'options' | 'empty'> & { codes: { code: string; rate: number | null; name: string | null }[] }) {
  const { t } = useTranslation('setup');
  const options = props.codes.map((c) => ({ value: c.code, label: [c.code, c.rate !== null ? `${c.rate} %` : null, c.name].filter(Boolean).join(' — ') }));
  if (props.value && !props.codes.some((c) => c.code === props.value)) options.unshift({ value: props.value, label: t('notInLedger', { value: props.value }) });
  return <SelectField {...props} options={options} empty={t('chooseVat')} />;
}

/** Rows of key → value (sales account → product, our VAT code → the ledger's), added and removed by the owner. */
export function PairRows({
  legend,
  keyLabel,
  valueLabel,
  rows,
  onChange,
  valueOptions,
  errors,
  path,
}: {
  legend: string;
  keyLabel: string;
  valueLabel: string;
  rows: [string, string][];
  onChange: (rows: [string, string][]) => void;
  valueOptions?: string[];
  errors: Record<string, string>;
  path: string;
}) {
  const { t } = useTranslation('setup');
  const set = (i: number, at: 0 | 1, value: string) => onChange(rows.map((r, j) => (j === i ? ((at === 0 ? [value, r[1]] : [r[0], value]) as [string, string]) : r)));
  return (
    <fieldset className="pairs">
      <legend>{legend}</legend>
      {errors[path] && <span className="field-error">{errors[path]}</span>}
      {rows.map(([key, value], i) => (
        <div className="row" key={i}>
          <TextField label={`${keyLabel} ${i + 1}`} value={key} onChange={(v) => set(i, 0, v)} />
          {valueOptions ? (
            <SelectField label={`${valueLabel} ${i + 1}`} value={value} onChange={(v) => set(i, 1, v)} options={valueOptions.map((o) => ({ value: o, label: o }))} empty="–" error={errors[`${path}.${key}`]} />
          ) : (
            <TextField label={`${valueLabel} ${i + 1}`} value={value} onChange={(v) => set(i, 1, v)} error={errors[`${path}.${key}`]} />
          )}
          <button type="button" aria-label={t('removeRow', { n: i + 1 })} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            {t('remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, ['', '']])}>
        {t('addRow')}
      </button>
    </fieldset>
  );
}
