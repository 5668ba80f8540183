import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import type { ApiResult } from '../api.ts';

/** One column: its header, how a row shows in it and, if it sorts, the value it sorts by. */
export type Column<Row> = {
  label: string;
  cell(row: Row): ComponentChildren;
  sortValue?: (row: Row) => string | number;
  /** Extra classes for the column's cells (wrapping, breaking). */
  class?: string;
};

export type KeysetPage<Row> = { data: Row[]; nextCursor: string | null };

type Props<Row extends { id: string }> = {
  /** The plural noun the list counts ("contacts"). */
  noun: string;
  rows: Row[];
  nextCursor: string | null;
  columns: Column<Row>[];
  loadPage(cursor: string): Promise<ApiResult<KeysetPage<Row>>>;
  /** Runs on a loaded page before it shows, e.g. to look up names its rows refer to. */
  beforeShow?: (added: Row[]) => Promise<void>;
  /** The attribute that names a row's record for scripts and tests (`data-contact-id`). */
  idAttribute: string;
};

/**
 * A list read page by page along the API's keyset cursor ("load more" costs the same at row 100,000 as at row 1),
 * with sorting that applies to the rows loaded. The contacts and companies lists are this table with their columns.
 */
export function KeysetTable<Row extends { id: string }>(props: Props<Row>) {
  const rows = useSignal(props.rows);
  const cursor = useSignal(props.nextCursor);
  const loading = useSignal(false);
  const message = useSignal<{ text: string; error: boolean } | null>(null);
  const sort = useSignal<{ column: number; dir: 1 | -1 } | null>(null);

  async function loadMore() {
    if (!cursor.value) return;
    loading.value = true;
    const result = await props.loadPage(cursor.value);
    if (!result.ok) {
      loading.value = false;
      message.value = { text: result.error.message, error: true };
      return;
    }
    const added = result.data.data;
    await props.beforeShow?.(added);
    loading.value = false;
    rows.value = [...rows.value, ...added];
    cursor.value = result.data.nextCursor;
    message.value = { text: `${added.length} more ${props.noun} loaded`, error: false };
  }

  const order = sort.value;
  const sortBy = order ? props.columns[order.column]?.sortValue : undefined;
  const sorted =
    order && sortBy
      ? [...rows.value].sort((a, b) => {
          const [x, y] = [sortBy(a), sortBy(b)];
          return (x < y ? -1 : x > y ? 1 : 0) * order.dir;
        })
      : rows.value;

  const header = (column: Column<Row>, index: number) => {
    if (!column.sortValue) {
      return (
        <th key={column.label} scope="col" class="px-3 py-2 text-left font-semibold">
          {column.label}
        </th>
      );
    }
    const current = order?.column === index ? order.dir : 0;
    return (
      <th
        key={column.label}
        scope="col"
        class="px-3 py-2 text-left font-semibold"
        aria-sort={current === 1 ? 'ascending' : current === -1 ? 'descending' : 'none'}
      >
        <button
          type="button"
          class="inline-flex items-center gap-1"
          onClick={() => {
            sort.value = { column: index, dir: current === 1 ? -1 : 1 };
          }}
        >
          {column.label}
          <span aria-hidden="true">{current === 1 ? '▲' : current === -1 ? '▼' : '↕'}</span>
        </button>
      </th>
    );
  };

  const noun = props.noun[0]?.toUpperCase() + props.noun.slice(1);
  return (
    <div>
      <p class={message.value?.error ? 'alert-error mb-3' : 'sr-only'} role="status" aria-live="polite">
        {message.value?.text ?? ''}
      </p>
      <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table class="min-w-full divide-y divide-slate-200 text-sm">
          <caption class="sr-only">{noun}; sorting applies to the rows loaded</caption>
          <thead class="bg-slate-50">
            <tr>{props.columns.map(header)}</tr>
          </thead>
          <tbody class="divide-y divide-slate-100">
            {sorted.length === 0 && (
              <tr>
                <td colSpan={props.columns.length} class="px-3 py-6 text-center text-slate-600">
                  No {props.noun} match.
                </td>
              </tr>
            )}
            {sorted.map((row) => (
              <tr key={row.id} {...{ [props.idAttribute]: row.id }}>
                {props.columns.map((column) => (
                  <td key={column.label} class={`px-3 py-2 ${column.class ?? ''}`}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="mt-4 flex items-center gap-3">
        {cursor.value && (
          <button type="button" class="btn-secondary" onClick={loadMore} disabled={loading.value}>
            {loading.value ? 'Loading…' : 'Load more'}
          </button>
        )}
        <span class="text-sm text-slate-600">
          {rows.value.length} {props.noun} shown
        </span>
      </div>
    </div>
  );
}
