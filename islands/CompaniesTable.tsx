import { useSignal } from '@preact/signals';
import { api } from '../web/client/api.ts';
import { island } from '../web/island.tsx';

export type CompanyRow = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  ownerId: string | null;
  createdAt: string;
};

type Props = { rows: CompanyRow[]; nextCursor: string | null; query: string; owners: Record<string, string> };
type SortKey = 'name' | 'domain' | 'industry' | 'size' | 'owner' | 'createdAt';

export const toCompanyRow = (c: CompanyRow): CompanyRow => ({
  id: c.id,
  name: c.name,
  domain: c.domain,
  industry: c.industry,
  size: c.size,
  ownerId: c.ownerId,
  createdAt: c.createdAt,
});

// Size bands sort by headcount, not as text ("11-50" before "1001-5000").
const sizeOrder = (size: string | null) => (size ? Number.parseInt(size, 10) : -1);

/**
 * The companies list: "load more" follows the API's keyset cursor, and sorting applies to the rows loaded.
 */
function CompaniesTable(props: Props) {
  const rows = useSignal(props.rows);
  const cursor = useSignal(props.nextCursor);
  const loading = useSignal(false);
  const message = useSignal<{ text: string; error: boolean } | null>(null);
  const sort = useSignal<{ key: SortKey; dir: 1 | -1 } | null>(null);

  const ownerOf = (r: CompanyRow) => (r.ownerId ? (props.owners[r.ownerId] ?? '') : '');
  const sortValue = (r: CompanyRow, key: SortKey): string | number =>
    key === 'size'
      ? sizeOrder(r.size)
      : key === 'owner'
        ? ownerOf(r).toLowerCase()
        : key === 'createdAt'
          ? r.createdAt
          : (r[key] ?? '').toLowerCase();

  async function loadMore() {
    if (!cursor.value) return;
    loading.value = true;
    const result = await api<{ data: CompanyRow[]; nextCursor: string | null }>(
      `/api/v1/companies?${props.query}&cursor=${encodeURIComponent(cursor.value)}`,
    );
    loading.value = false;
    if (!result.ok) {
      message.value = { text: result.error.message, error: true };
      return;
    }
    rows.value = [...rows.value, ...result.data.data.map(toCompanyRow)];
    cursor.value = result.data.nextCursor;
    message.value = { text: `${result.data.data.length} more companies loaded`, error: false };
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
      <p class={message.value?.error ? 'alert-error mb-3' : 'sr-only'} role="status" aria-live="polite">
        {message.value?.text ?? ''}
      </p>
      <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table class="min-w-full divide-y divide-slate-200 text-sm">
          <caption class="sr-only">Companies; sorting applies to the rows loaded</caption>
          <thead class="bg-slate-50">
            <tr>
              {header('name', 'Name')}
              {header('domain', 'Domain')}
              {header('industry', 'Industry')}
              {header('size', 'Size')}
              {header('owner', 'Owner')}
              {header('createdAt', 'Created')}
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100">
            {sorted.length === 0 && (
              <tr>
                <td colSpan={6} class="px-3 py-6 text-center text-slate-600">
                  No companies match.
                </td>
              </tr>
            )}
            {sorted.map((row) => (
              <tr key={row.id} data-company-id={row.id}>
                <td class="px-3 py-2">
                  <a href={`/companies/${row.id}`} class="font-medium text-indigo-700 underline">
                    {row.name}
                  </a>
                </td>
                <td class="px-3 py-2 break-all">{row.domain ?? ''}</td>
                <td class="px-3 py-2">{row.industry ?? ''}</td>
                <td class="px-3 py-2 whitespace-nowrap">{row.size ?? ''}</td>
                <td class="px-3 py-2">{ownerOf(row)}</td>
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
        <span class="text-sm text-slate-600">{rows.value.length} companies shown</span>
      </div>
    </div>
  );
}

export default island('CompaniesTable', CompaniesTable);
