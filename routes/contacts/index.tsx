import { lifecycleStages } from '../../db/schema/crm-enums.ts';
import ContactsTable, { type ContactRow, toContactRow } from '../../islands/ContactsTable.tsx';
import type { ApiFailure } from '../../web/api.ts';
import {
  companyNames,
  lifecycleLabels,
  loadUsers,
  type UserOption,
  userOptions,
} from '../../web/components/records.tsx';
import { Alert, PageTitle } from '../../web/components/ui.tsx';
import { displayOf } from '../../web/display.ts';
import type { Handlers, PageProps } from '../../web/route.ts';

type Filters = { lifecycleStage: string; ownerId: string; tag: string; q: string };
type Data = {
  rows: ContactRow[];
  nextCursor: string | null;
  filters: Filters;
  users: UserOption[];
  companies: Record<string, string>;
  notice?: string;
  error?: ApiFailure;
};

export const PAGE_SIZE = 50;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The list API's filters from the page's query string; what is not a valid value is dropped, not sent. */
export function contactFilters(params: URLSearchParams): Filters {
  const stage = params.get('lifecycleStage') ?? '';
  const owner = params.get('ownerId') ?? '';
  return {
    lifecycleStage: (lifecycleStages as readonly string[]).includes(stage) ? stage : '',
    ownerId: uuid.test(owner) ? owner : '',
    tag: (params.get('tag') ?? '').trim().slice(0, 50),
    q: (params.get('q') ?? '').trim().slice(0, 100),
  };
}

/** The filters as the list and export APIs take them (the same names, so one string serves both). */
export function contactFilterQuery(filters: Filters) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  return query.toString();
}

const withLimit = (filterQuery: string) => (filterQuery ? `limit=${PAGE_SIZE}&${filterQuery}` : `limit=${PAGE_SIZE}`);

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const filters = contactFilters(ctx.url.searchParams);
    type Page = { data: ContactRow[]; nextCursor: string | null };
    const [answer, users] = await Promise.all([
      ctx.api<Page>(`/api/v1/contacts?${withLimit(contactFilterQuery(filters))}`),
      loadUsers(ctx.api),
    ]);
    const notice = ctx.url.searchParams.has('deleted') ? 'Contact deleted.' : undefined;
    if (!answer.ok) {
      const data = { rows: [], nextCursor: null, filters, users, companies: {}, error: answer.error };
      return ctx.render(data, { title: 'Contacts', status: answer.status });
    }
    const rows = answer.data.data.map(toContactRow);
    const companies = await companyNames(
      ctx.api,
      rows.map((r) => r.companyId),
    );
    return ctx.render(
      { rows, nextCursor: answer.data.nextCursor, filters, users, companies, notice },
      { title: 'Contacts' },
    );
  },
};

export default function Contacts({ data, me }: PageProps<Data>) {
  const can = (permission: string) => me?.permissions.includes(permission) ?? false;
  const filterQuery = contactFilterQuery(data.filters);
  const filtered = filterQuery !== '';
  const owners = Object.fromEntries(data.users.map((u) => [u.id, u.name || u.email]));
  return (
    <>
      <PageTitle
        actions={
          <>
            {can('data:export') && (
              <a
                href={`/api/v1/exports/contacts.csv${filtered ? `?${filterQuery}` : ''}`}
                class="btn-secondary"
                download
              >
                Export CSV
              </a>
            )}
            {can('contacts:create') && (
              <a href="/contacts/new" class="btn-primary">
                New contact
              </a>
            )}
          </>
        }
      >
        Contacts
      </PageTitle>
      {data.notice && <Alert tone="info">{data.notice}</Alert>}
      <form method="get" action="/contacts" class="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter contacts">
        <div class="w-full sm:w-auto">
          <label for="filter-q" class="label">
            Name or email starts with
          </label>
          <input id="filter-q" name="q" type="search" class="input sm:w-64" value={data.filters.q} />
        </div>
        <div>
          <label for="filter-stage" class="label">
            Lifecycle stage
          </label>
          <select id="filter-stage" name="lifecycleStage" class="input">
            <option value="">Any stage</option>
            {lifecycleStages.map((s) => (
              <option key={s} value={s} selected={data.filters.lifecycleStage === s}>
                {lifecycleLabels[s]}
              </option>
            ))}
          </select>
        </div>
        {data.users.length > 0 && (
          <div>
            <label for="filter-owner" class="label">
              Owner
            </label>
            <select id="filter-owner" name="ownerId" class="input">
              <option value="">Anyone</option>
              {userOptions(data.users, me).map(([id, label]) => (
                <option key={id} value={id} selected={data.filters.ownerId === id}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div>
          <label for="filter-tag" class="label">
            Tag
          </label>
          <input id="filter-tag" name="tag" class="input sm:w-40" value={data.filters.tag} placeholder="e.g. vip" />
        </div>
        <button type="submit" class="btn-secondary">
          Apply filters
        </button>
        {filtered && (
          <a href="/contacts" class="text-sm text-indigo-700 underline">
            Clear
          </a>
        )}
      </form>
      {data.error ? (
        <Alert>{data.error.message}</Alert>
      ) : (
        <ContactsTable
          rows={data.rows}
          nextCursor={data.nextCursor}
          query={withLimit(filterQuery)}
          companies={data.companies}
          owners={owners}
          display={displayOf(me)}
        />
      )}
    </>
  );
}
