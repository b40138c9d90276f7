import { tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';
import { TableView } from '../../components/TableView';

/** The payouts tables need no client-side features: paging and filtering are the API's (cursor, status). */
export const features = tableFeatures({});
export type Columns<T extends RowData> = ColumnDef<typeof features, T, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A payouts table: amounts right-aligned (`numeric` column ids), dates kept on one line (`nowrap`), in the markup of
 * components/TableView.
 */
export function DataTable<T extends RowData>({
  columns,
  data,
  caption,
  numeric = [],
  nowrap = [],
  rowId,
  busy = false,
}: {
  columns: Columns<T>;
  data: T[];
  caption: string;
  /** Amounts: right-aligned, digits lined up. */
  numeric?: string[];
  /** Short values that read badly broken over lines (dates). */
  nowrap?: string[];
  rowId: (row: T) => string;
  /** Rows still shown while the next ones load. */
  busy?: boolean;
}) {
  const table = useTable({ features, columns, data, getRowId: rowId });
  const columnClass = (id: string) => (numeric.includes(id) ? 'num' : nowrap.includes(id) ? 'nowrap' : undefined);
  return <TableView table={table} caption={caption} columnClass={columnClass} aria-busy={busy} className={busy ? 'busy' : undefined} />;
}
