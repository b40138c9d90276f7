import { tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';

/** The payouts tables need no client-side features: paging and filtering are the API's (cursor, status). */
export const features = tableFeatures({});
export type Columns<T extends RowData> = ColumnDef<typeof features, T, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A table from TanStack Table's row model with our markup: a caption read by screen readers, column headers with
 * scope, amounts right-aligned (`numeric` column ids), dates kept on one line (`nowrap`).
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
  const num = (id: string) => (numeric.includes(id) ? 'num' : nowrap.includes(id) ? 'nowrap' : undefined);
  return (
    <table aria-busy={busy} className={busy ? 'busy' : undefined}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col" className={num(header.column.id)}>
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={num(cell.column.id)}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
