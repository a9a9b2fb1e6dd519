import { useMemo, type ReactNode } from 'react';
import { useLocale } from '../i18n';
import { ScrollTable } from './scroll-table';

export interface Column<Row> {
  key: string;
  label: string;
  /** The cell as text: what the table shows and what a CSV export writes. */
  text: (row: Row) => string;
  /** What the column sorts by; null sorts last. */
  sortValue: (row: Row) => number | string | null;
  /** Richer cell content (badges, links); the text is used when absent. */
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
}

export interface SortState {
  key: string;
  direction: 'ascending' | 'descending';
}

export function sortRows<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>, sort: SortState): Row[] {
  const column = columns.find((candidate) => candidate.key === sort.key) ?? columns[0]!;
  const factor = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = column.sortValue(a);
    const right = column.sortValue(b);
    if (left === null) return right === null ? 0 : 1;
    if (right === null) return -1;
    return (typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right), 'de')) * factor;
  });
}

/**
 * A table sortable by its column headers (buttons, so by keyboard too), announcing its order with aria-sort; it scrolls
 * in its own region where it is wider than the screen.
 */
export function SortableTable<Row>({
  rows,
  columns,
  caption,
  rowKey,
  sort,
  onSort,
  testId,
}: {
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row>>;
  caption: string;
  rowKey: (row: Row) => string;
  sort: SortState;
  onSort: (sort: SortState) => void;
  testId?: string;
}) {
  const { t } = useLocale();
  const sorted = useMemo(() => sortRows(rows, columns, sort), [rows, columns, sort]);
  return (
    <ScrollTable caption={caption} testId={testId}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" aria-sort={sort.key === column.key ? sort.direction : 'none'} className={column.numeric ? 'numeric' : undefined}>
              <button
                type="button"
                aria-label={t('sortBy', { column: column.label })}
                onClick={() =>
                  onSort({ key: column.key, direction: sort.key === column.key && sort.direction === 'ascending' ? 'descending' : 'ascending' })
                }
              >
                {column.label}
                <span aria-hidden="true">{sort.key === column.key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column, index) =>
              index === 0 ? (
                <th key={column.key} scope="row">
                  {column.render ? column.render(row) : column.text(row)}
                </th>
              ) : (
                <td key={column.key} className={column.numeric ? 'numeric' : undefined}>
                  {column.render ? column.render(row) : column.text(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
