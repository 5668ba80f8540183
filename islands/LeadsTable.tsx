import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { leadStatuses } from '../db/schema/lead-statuses.ts';
import { api } from '../web/client/api.ts';
import { statusLabels } from '../web/components/ui.tsx';
import { type Display, formatDay } from '../web/display.ts';
import { island } from '../web/island.tsx';
import { BulkBar } from '../web/leads/BulkBar.tsx';
import type { UserOption } from '../web/leads/FilterForm.tsx';
import { defaultSort, type Filters, listQuery } from '../web/leads/query.ts';
import { nearEnd, visibleWindow } from '../web/leads/virtual.ts';

export type LeadRow = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  company: string | null;
  source: string | null;
  status: string;
  score: number;
  ownerId: string | null;
  version: number;
  createdAt: string;
};

type Props = {
  rows: LeadRow[];
  nextCursor: string | null;
  filters: Filters;
  sort: string;
  users: UserOption[];
  canWrite: boolean;
  canDelete: boolean;
  display: Display;
};
type Page = { data: LeadRow[]; nextCursor: string | null };

const ROW_HEIGHT = 44;
const PAGE = 200;
const nameOf = (r: LeadRow) => `${r.firstName} ${r.lastName}`.trim() || r.email || '(no name)';
const columns = [
  ['name', 'Name', 'w-56'],
  ['company', 'Company', 'w-44'],
  [null, 'Email', 'w-60'],
  [null, 'Owner', 'w-36'],
  ['status', 'Status', 'w-40'],
  ['score', 'Score', 'w-20'],
  ['createdAt', 'Created', 'w-28'],
] as const;

/**
 * The leads table. The server sorts and filters (the URL holds both); pages come by the API's keyset cursor as the
 * rep scrolls (or presses "Load more"), and only the rows in view are in the DOM, so 100,000 loaded leads scroll
 * like 50. Rows can be selected one by one, all loaded, or all matching the filter, for bulk actions; a status
 * changes in place, at once, rolled back with the server's message if it refuses.
 */
function LeadsTable(props: Props) {
  const rows = useSignal(props.rows);
  const cursor = useSignal(props.nextCursor);
  const sort = useSignal(props.sort || defaultSort);
  const loading = useSignal(false);
  const message = useSignal<{ text: string; error: boolean } | null>(null);
  const rowErrors = useSignal<Record<string, string>>({});
  const selected = useSignal<ReadonlySet<string>>(new Set());
  const allMatching = useSignal<number | null>(null);
  const scrollTop = useSignal(0);
  const viewport = useSignal(600);
  const box = useRef<HTMLElement>(null);
  const owners = new Map(props.users.map((u) => [u.id, u.name || u.email]));
  const query = () => listQuery(props.filters, sort.value);

  useEffect(() => {
    const measure = () => {
      if (box.current) viewport.value = box.current.clientHeight;
    };
    measure();
    addEventListener('resize', measure);
    return () => removeEventListener('resize', measure);
  }, []);

  async function fetchPage(after: string | null, limit: number) {
    loading.value = true;
    const q = query();
    const answer = await api<Page>(
      `/api/v1/leads?limit=${limit}${q ? `&${q}` : ''}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
    );
    loading.value = false;
    if (!answer.ok) message.value = { text: answer.error.message, error: true };
    return answer.ok ? answer.data : null;
  }

  async function loadMore() {
    if (!cursor.value || loading.value) return;
    const page = await fetchPage(cursor.value, PAGE);
    if (!page) return;
    rows.value = [...rows.value, ...page.data];
    cursor.value = page.nextCursor;
    message.value = { text: `${rows.value.length.toLocaleString('en')} leads loaded`, error: false };
  }

  /** The list from its first page again: after a sort change or a bulk action, what is loaded is stale. */
  async function reload(summary?: string) {
    const page = await fetchPage(null, PAGE);
    if (!page) return;
    rows.value = page.data;
    cursor.value = page.nextCursor;
    selected.value = new Set();
    allMatching.value = null;
    if (box.current) box.current.scrollTop = 0;
    scrollTop.value = 0;
    if (summary) message.value = { text: summary, error: false };
  }

  function sortBy(key: string) {
    const current = sort.value.replace(/^-/, '');
    // A first click sorts ascending, a second descending, as table headers usually do.
    const next = current === key && !sort.value.startsWith('-') ? `-${key}` : key;
    sort.value = next;
    const q = query();
    history.replaceState(null, '', q ? `/leads?${q}` : '/leads');
    void reload();
  }

  async function changeStatus(row: LeadRow, status: string) {
    const replace = (next: LeadRow) => {
      rows.value = rows.value.map((r) => (r.id === row.id ? next : r));
    };
    replace({ ...row, status });
    rowErrors.value = { ...rowErrors.value, [row.id]: '' };
    const result = await api<LeadRow>(`/api/v1/leads/${row.id}`, {
      method: 'PATCH',
      body: { status },
      headers: { 'if-match': `"v${row.version}"` },
    });
    if (result.ok) {
      replace({ ...row, status: result.data.status, score: result.data.score, version: result.data.version });
      message.value = { text: `${nameOf(row)} is now ${statusLabels[status] ?? status}`, error: false };
    } else {
      replace(row);
      rowErrors.value = { ...rowErrors.value, [row.id]: result.error.message };
    }
  }

  function toggle(id: string, on: boolean) {
    const next = new Set(selected.value);
    if (on) next.add(id);
    else next.delete(id);
    selected.value = next;
    allMatching.value = null;
  }

  async function selectAllMatching() {
    const answer = await api<{ count: number }>(`/api/v1/leads/count?${new URLSearchParams(props.filters)}`);
    if (!answer.ok) {
      message.value = { text: answer.error.message, error: true };
      return;
    }
    allMatching.value = answer.data.count;
  }

  const { start, end } = visibleWindow(scrollTop.value, viewport.value, ROW_HEIGHT, rows.value.length);
  const shown = rows.value.slice(start, end);
  const everyLoaded =
    rows.value.length > 0 &&
    selected.value.size >= rows.value.length &&
    rows.value.every((r) => selected.value.has(r.id));
  const count = allMatching.value ?? selected.value.size;

  const header = (key: string | null, label: string, width: string) => {
    const current = key && sort.value.replace(/^-/, '') === key ? (sort.value.startsWith('-') ? -1 : 1) : 0;
    return (
      <th
        key={label}
        scope="col"
        class={`sticky top-0 z-10 bg-slate-50 px-3 py-2 text-left font-semibold ${width}`}
        aria-sort={key ? (current === 1 ? 'ascending' : current === -1 ? 'descending' : 'none') : undefined}
      >
        {key ? (
          <button type="button" class="inline-flex items-center gap-1" onClick={() => sortBy(key)}>
            {label}
            <span aria-hidden="true">{current === 1 ? '▲' : current === -1 ? '▼' : '↕'}</span>
          </button>
        ) : (
          label
        )}
      </th>
    );
  };

  const statusCell = (row: LeadRow) => {
    if (!props.canWrite || row.status === 'converted') return statusLabels[row.status] ?? row.status;
    const problem = rowErrors.value[row.id];
    return (
      <span class="flex items-center gap-1">
        <label class="sr-only" for={`status-${row.id}`}>
          Status of {nameOf(row)}
        </label>
        <select
          id={`status-${row.id}`}
          class="rounded border border-slate-400 px-2 py-1 text-sm"
          value={row.status}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? `status-error-${row.id}` : undefined}
          onChange={(e) => changeStatus(row, (e.target as HTMLSelectElement).value)}
        >
          {leadStatuses
            .filter((s) => s !== 'converted')
            .map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
        </select>
        {problem && (
          <span id={`status-error-${row.id}`} role="alert" class="truncate text-xs text-red-800" title={problem}>
            {problem}
          </span>
        )}
      </span>
    );
  };

  return (
    <div>
      {props.canWrite && count > 0 && (
        <BulkBar
          count={count}
          select={allMatching.value === null ? { ids: [...selected.value] } : { filter: props.filters }}
          users={props.users}
          canDelete={props.canDelete}
          onDone={(summary) => void reload(summary)}
        />
      )}
      {props.canWrite && everyLoaded && (
        <p class="alert-info mb-3 flex flex-wrap items-center gap-3">
          {allMatching.value === null ? (
            <>
              All {rows.value.length.toLocaleString('en')} loaded leads are selected.
              <button type="button" class="text-indigo-800 underline" onClick={selectAllMatching}>
                Select all leads matching this filter
              </button>
            </>
          ) : (
            <>
              All {allMatching.value.toLocaleString('en')} leads matching this filter are selected.
              <button type="button" class="text-indigo-800 underline" onClick={() => toggleAll(false)}>
                Clear selection
              </button>
            </>
          )}
        </p>
      )}
      <p class={message.value?.error ? 'alert-error mb-3' : 'sr-only'} role="status" aria-live="polite">
        {message.value?.text ?? ''}
      </p>
      <section
        ref={box}
        class="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard (axe: scrollable-region-focusable)
        tabIndex={0}
        aria-label="Leads, scrollable"
        onScroll={(e) => {
          const top = (e.currentTarget as HTMLElement).scrollTop;
          scrollTop.value = top;
          // The window at the new position, not the one last rendered: a jump to the bottom fires one scroll event,
          // and the rendered window then still ends near the top.
          const reached = visibleWindow(top, viewport.value, ROW_HEIGHT, rows.value.length).end;
          if (nearEnd(reached, rows.value.length) && cursor.value && !loading.value) void loadMore();
        }}
      >
        <table class="w-full min-w-[62rem] table-fixed text-sm" aria-rowcount={rows.value.length + 1}>
          <caption class="sr-only">Leads, sorted and filtered by the server; rows load as you scroll</caption>
          <thead>
            <tr aria-rowindex={1}>
              {props.canWrite && (
                <th scope="col" class="sticky top-0 z-10 w-10 bg-slate-50 px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all loaded leads"
                    checked={everyLoaded}
                    onChange={(e) => toggleAll((e.target as HTMLInputElement).checked)}
                  />
                </th>
              )}
              {columns.map(([key, label, width]) => header(key, label, width))}
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100">
            {rows.value.length === 0 && (
              <tr>
                <td colSpan={8} class="px-3 py-6 text-center text-slate-600">
                  {Object.keys(props.filters).length ? 'No lead matches these filters.' : 'No leads yet.'}
                </td>
              </tr>
            )}
            {start > 0 && <tr style={{ height: `${start * ROW_HEIGHT}px` }} />}
            {shown.map((row, i) => (
              <tr
                key={row.id}
                data-lead-id={row.id}
                aria-rowindex={start + i + 2}
                style={{ height: `${ROW_HEIGHT}px` }}
                class="whitespace-nowrap"
              >
                {props.canWrite && (
                  <td class="px-3">
                    <input
                      type="checkbox"
                      aria-label={`Select ${nameOf(row)}`}
                      checked={allMatching.value !== null || selected.value.has(row.id)}
                      onChange={(e) => toggle(row.id, (e.target as HTMLInputElement).checked)}
                    />
                  </td>
                )}
                <td class="truncate px-3">
                  <a href={`/leads/${row.id}`} class="font-medium text-indigo-700 underline">
                    {nameOf(row)}
                  </a>
                </td>
                <td class="truncate px-3">{row.company ?? ''}</td>
                <td class="truncate px-3">{row.email ?? ''}</td>
                <td class="truncate px-3">{row.ownerId ? (owners.get(row.ownerId) ?? '') : ''}</td>
                <td class="px-3">{statusCell(row)}</td>
                <td class="px-3 tabular-nums">{row.score}</td>
                <td class="px-3">{formatDay(row.createdAt, props.display)}</td>
              </tr>
            ))}
            {end < rows.value.length && <tr style={{ height: `${(rows.value.length - end) * ROW_HEIGHT}px` }} />}
          </tbody>
        </table>
      </section>
      <div class="mt-4 flex items-center gap-3">
        {cursor.value && (
          <button type="button" class="btn-secondary" onClick={loadMore} disabled={loading.value}>
            {loading.value ? 'Loading…' : 'Load more'}
          </button>
        )}
        <span class="text-sm text-slate-600" data-testid="loaded-count">
          {rows.value.length.toLocaleString('en')} leads shown{cursor.value ? '' : ' (all)'}
        </span>
      </div>
    </div>
  );

  function toggleAll(on: boolean) {
    selected.value = on ? new Set(rows.value.map((r) => r.id)) : new Set();
    allMatching.value = null;
  }
}

export default island('LeadsTable', LeadsTable);
