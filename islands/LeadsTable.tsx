import { useSignal } from '@preact/signals';
import { leadStatuses } from '../db/schema/lead-statuses.ts';
import { api } from '../web/client/api.ts';
import { island } from '../web/island.tsx';

export type LeadRow = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  company: string | null;
  source: string | null;
  status: string;
  score: number;
  version: number;
  createdAt: string;
};

type Props = { rows: LeadRow[]; nextCursor: string | null; query: string; canWrite: boolean };
type SortKey = 'name' | 'company' | 'status' | 'score' | 'createdAt';
type Hit = { id: string; title: string; subtitle: string | null };

const labels: Record<string, string> = {
  new: 'New',
  contacted: 'Contacted',
  qualified: 'Qualified',
  unqualified: 'Unqualified',
  converted: 'Converted',
};
const nameOf = (r: LeadRow) => `${r.firstName} ${r.lastName}`.trim() || r.email || '(no name)';
const sortValue = (r: LeadRow, key: SortKey): string | number =>
  key === 'name' ? nameOf(r).toLowerCase() : key === 'score' ? r.score : ((r[key] ?? '') as string).toLowerCase();

/**
 * The leads table: "load more" pages by the API's keyset cursor (a page costs the same at row 100,000 as at row 1),
 * sorting among the rows loaded, a lead search through /api/v1/search, and a status change in place, shown at
 * once and rolled back with the server's message if it refuses.
 */
function LeadsTable(props: Props) {
  const rows = useSignal(props.rows);
  const cursor = useSignal(props.nextCursor);
  const loading = useSignal(false);
  const message = useSignal<{ text: string; error: boolean } | null>(null);
  const rowErrors = useSignal<Record<string, string>>({});
  const sort = useSignal<{ key: SortKey; dir: 1 | -1 } | null>(null);
  const search = useSignal('');
  const hits = useSignal<Hit[] | null>(null);

  async function loadMore() {
    if (!cursor.value) return;
    loading.value = true;
    const result = await api<{ data: LeadRow[]; nextCursor: string | null }>(
      `/api/v1/leads?${props.query}&cursor=${encodeURIComponent(cursor.value)}`,
    );
    loading.value = false;
    if (!result.ok) {
      message.value = { text: result.error.message, error: true };
      return;
    }
    rows.value = [...rows.value, ...result.data.data];
    cursor.value = result.data.nextCursor;
    message.value = { text: `${result.data.data.length} more leads loaded`, error: false };
  }

  async function changeStatus(row: LeadRow, status: string) {
    const before = row;
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
      replace({ ...before, status: result.data.status, score: result.data.score, version: result.data.version });
      message.value = { text: `${nameOf(row)} is now ${labels[status] ?? status}`, error: false };
    } else {
      replace(before);
      rowErrors.value = { ...rowErrors.value, [row.id]: result.error.message };
    }
  }

  async function runSearch(event: Event) {
    event.preventDefault();
    const q = search.value.trim();
    if (!q) {
      hits.value = null;
      return;
    }
    loading.value = true;
    const result = await api<{ data: Hit[] }>(`/api/v1/search?types=lead&limit=50&q=${encodeURIComponent(q)}`);
    loading.value = false;
    if (!result.ok) {
      message.value = { text: result.error.message, error: true };
      return;
    }
    hits.value = result.data.data;
  }

  const sorted = sort.value
    ? [...rows.value].sort((a, b) => {
        const [x, y] = [sortValue(a, sort.value!.key), sortValue(b, sort.value!.key)];
        return (x < y ? -1 : x > y ? 1 : 0) * sort.value!.dir;
      })
    : rows.value;

  const header = (key: SortKey, label: string) => {
    const current = sort.value?.key === key ? sort.value.dir : 0;
    return (
      <th
        scope="col"
        class="px-3 py-2 text-left font-semibold"
        aria-sort={current === 1 ? 'ascending' : current === -1 ? 'descending' : 'none'}
      >
        <button
          type="button"
          class="inline-flex items-center gap-1"
          onClick={() => {
            sort.value = { key, dir: current === 1 ? -1 : 1 };
          }}
        >
          {label}
          <span aria-hidden="true">{current === 1 ? '▲' : current === -1 ? '▼' : '↕'}</span>
        </button>
      </th>
    );
  };

  return (
    <div>
      <form aria-label="Search leads" class="mb-4 flex flex-wrap items-end gap-2" onSubmit={runSearch}>
        <div class="grow sm:grow-0">
          <label for="lead-search" class="label">
            Search leads
          </label>
          <input
            id="lead-search"
            type="search"
            class="input sm:w-72"
            value={search.value}
            onInput={(e) => {
              search.value = (e.target as HTMLInputElement).value;
            }}
          />
        </div>
        <button type="submit" class="btn-secondary">
          Search
        </button>
        {hits.value && (
          <button
            type="button"
            class="btn-secondary"
            onClick={() => {
              hits.value = null;
              search.value = '';
            }}
          >
            Show all
          </button>
        )}
      </form>
      <p class={message.value?.error ? 'alert-error mb-3' : 'sr-only'} role="status" aria-live="polite">
        {message.value?.text ?? ''}
      </p>
      {hits.value ? (
        <ul class="card divide-y divide-slate-100" aria-label="Matching leads">
          {hits.value.length === 0 && <li class="py-2 text-sm">No lead matches.</li>}
          {hits.value.map((hit) => (
            <li key={hit.id} class="py-2">
              <a href={`/leads/${hit.id}`} class="font-medium text-indigo-700 underline">
                {hit.title}
              </a>
              {hit.subtitle && <span class="ml-2 text-sm text-slate-600">{hit.subtitle}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <>
          <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm">
              <caption class="sr-only">Leads; sorting applies to the rows loaded</caption>
              <thead class="bg-slate-50">
                <tr>
                  {header('name', 'Name')}
                  {header('company', 'Company')}
                  <th scope="col" class="px-3 py-2 text-left font-semibold">
                    Email
                  </th>
                  {header('status', 'Status')}
                  {header('score', 'Score')}
                  {header('createdAt', 'Created')}
                </tr>
              </thead>
              <tbody class="divide-y divide-slate-100">
                {sorted.length === 0 && (
                  <tr>
                    <td colSpan={6} class="px-3 py-6 text-center text-slate-600">
                      No leads yet.
                    </td>
                  </tr>
                )}
                {sorted.map((row) => (
                  <tr key={row.id} data-lead-id={row.id}>
                    <td class="px-3 py-2">
                      <a href={`/leads/${row.id}`} class="font-medium text-indigo-700 underline">
                        {nameOf(row)}
                      </a>
                    </td>
                    <td class="px-3 py-2">{row.company ?? ''}</td>
                    <td class="px-3 py-2">{row.email ?? ''}</td>
                    <td class="px-3 py-2">
                      {props.canWrite && row.status !== 'converted' ? (
                        <>
                          <label class="sr-only" for={`status-${row.id}`}>
                            Status of {nameOf(row)}
                          </label>
                          <select
                            id={`status-${row.id}`}
                            class="rounded border border-slate-400 px-2 py-1 text-sm"
                            value={row.status}
                            aria-describedby={rowErrors.value[row.id] ? `status-error-${row.id}` : undefined}
                            onChange={(e) => changeStatus(row, (e.target as HTMLSelectElement).value)}
                          >
                            {leadStatuses
                              .filter((s) => s !== 'converted')
                              .map((s) => (
                                <option key={s} value={s}>
                                  {labels[s]}
                                </option>
                              ))}
                          </select>
                          {rowErrors.value[row.id] && (
                            <p id={`status-error-${row.id}`} role="alert" class="field-error">
                              {rowErrors.value[row.id]}
                            </p>
                          )}
                        </>
                      ) : (
                        labels[row.status]
                      )}
                    </td>
                    <td class="px-3 py-2 tabular-nums">{row.score}</td>
                    <td class="px-3 py-2 whitespace-nowrap">{row.createdAt.slice(0, 10)}</td>
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
            <span class="text-sm text-slate-600">{rows.value.length} leads shown</span>
          </div>
        </>
      )}
    </div>
  );
}

export default island('LeadsTable', LeadsTable);
