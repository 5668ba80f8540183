import { useSignal } from '@preact/signals';
import { api } from '../web/client/api.ts';
import { island } from '../web/island.tsx';

export type ContactRow = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  lifecycleStage: string;
  companyId: string | null;
  ownerId: string | null;
  createdAt: string;
};

type Props = {
  rows: ContactRow[];
  nextCursor: string | null;
  query: string;
  companies: Record<string, string>;
  owners: Record<string, string>;
};
type SortKey = 'name' | 'company' | 'lifecycleStage' | 'owner' | 'createdAt';

const stages: Record<string, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
};
const nameOf = (r: ContactRow) => `${r.firstName} ${r.lastName}`.trim() || r.email || r.phone || '(no name)';

export const toContactRow = (c: ContactRow): ContactRow => ({
  id: c.id,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  lifecycleStage: c.lifecycleStage,
  companyId: c.companyId,
  ownerId: c.ownerId,
  createdAt: c.createdAt,
});

/**
 * The contacts list: "load more" follows the API's keyset cursor (as cheap at row 100,000 as at row 1), company
 * names of newly loaded rows are looked up once each, and sorting applies to the rows loaded.
 */
function ContactsTable(props: Props) {
  const rows = useSignal(props.rows);
  const cursor = useSignal(props.nextCursor);
  const companies = useSignal(props.companies);
  const loading = useSignal(false);
  const message = useSignal<{ text: string; error: boolean } | null>(null);
  const sort = useSignal<{ key: SortKey; dir: 1 | -1 } | null>(null);

  const companyOf = (r: ContactRow) => (r.companyId ? (companies.value[r.companyId] ?? '') : '');
  const ownerOf = (r: ContactRow) => (r.ownerId ? (props.owners[r.ownerId] ?? '') : '');
  const sortValue = (r: ContactRow, key: SortKey): string =>
    key === 'name'
      ? nameOf(r).toLowerCase()
      : key === 'company'
        ? companyOf(r).toLowerCase()
        : key === 'owner'
          ? ownerOf(r).toLowerCase()
          : r[key];

  async function loadMore() {
    if (!cursor.value) return;
    loading.value = true;
    const result = await api<{ data: ContactRow[]; nextCursor: string | null }>(
      `/api/v1/contacts?${props.query}&cursor=${encodeURIComponent(cursor.value)}`,
    );
    if (!result.ok) {
      loading.value = false;
      message.value = { text: result.error.message, error: true };
      return;
    }
    const added = result.data.data.map(toContactRow);
    const unknown = [
      ...new Set(added.flatMap((r) => (r.companyId && !companies.value[r.companyId] ? [r.companyId] : []))),
    ];
    const found = await Promise.all(unknown.map((id) => api<{ id: string; name: string }>(`/api/v1/companies/${id}`)));
    companies.value = {
      ...companies.value,
      ...Object.fromEntries(found.flatMap((f) => (f.ok ? [[f.data.id, f.data.name]] : []))),
    };
    loading.value = false;
    rows.value = [...rows.value, ...added];
    cursor.value = result.data.nextCursor;
    message.value = { text: `${added.length} more contacts loaded`, error: false };
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
          <caption class="sr-only">Contacts; sorting applies to the rows loaded</caption>
          <thead class="bg-slate-50">
            <tr>
              {header('name', 'Name')}
              <th scope="col" class="px-3 py-2 text-left font-semibold">
                Email
              </th>
              {header('company', 'Company')}
              {header('lifecycleStage', 'Stage')}
              {header('owner', 'Owner')}
              {header('createdAt', 'Created')}
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100">
            {sorted.length === 0 && (
              <tr>
                <td colSpan={6} class="px-3 py-6 text-center text-slate-600">
                  No contacts match.
                </td>
              </tr>
            )}
            {sorted.map((row) => (
              <tr key={row.id} data-contact-id={row.id}>
                <td class="px-3 py-2">
                  <a href={`/contacts/${row.id}`} class="font-medium text-indigo-700 underline">
                    {nameOf(row)}
                  </a>
                </td>
                <td class="px-3 py-2 break-all">{row.email ?? ''}</td>
                <td class="px-3 py-2">
                  {row.companyId && companyOf(row) ? (
                    <a href={`/companies/${row.companyId}`} class="text-indigo-700 underline">
                      {companyOf(row)}
                    </a>
                  ) : (
                    ''
                  )}
                </td>
                <td class="px-3 py-2">{stages[row.lifecycleStage] ?? row.lifecycleStage}</td>
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
        <span class="text-sm text-slate-600">{rows.value.length} contacts shown</span>
      </div>
    </div>
  );
}

export default island('ContactsTable', ContactsTable);
