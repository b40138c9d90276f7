import type { ReactTable, RowData, TableFeatures } from '@tanstack/react-table';
import type { ReactNode, TableHTMLAttributes } from 'react';

/**
 * A TanStack table's header and rows in our markup: column headers with scope, each cell classed by its column
 * (`num` for amounts, `nowrap` for dates), a caption for screen readers. The pages keep their own table instance (its
 * features: paging, selection) and hand it here; `after` goes at the end of the body (an "empty" row).
 */
export function TableView<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  caption,
  columnClass,
  rowClass,
  after,
  ...attributes
}: {
  table: ReactTable<TFeatures, TData>;
  caption: string;
  columnClass?: (columnId: string) => string | undefined;
  rowClass?: (row: ReturnType<ReactTable<TFeatures, TData>['getRowModel']>['rows'][number]) => string | undefined;
  after?: ReactNode;
} & TableHTMLAttributes<HTMLTableElement>) {
  return (
    <table {...attributes}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col" className={columnClass?.(header.column.id)}>
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} className={rowClass?.(row)}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={columnClass?.(cell.column.id)}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
        {after}
      </tbody>
    </table>
  );
}
