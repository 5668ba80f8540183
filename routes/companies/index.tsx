import { companySizes } from '../../db/schema/crm-enums.ts';
import CompaniesTable, { type CompanyRow, toCompanyRow } from '../../islands/CompaniesTable.tsx';
import type { ApiFailure } from '../../web/api.ts';
import { loadUsers, type UserOption } from '../../web/components/records.tsx';
import { Alert, PageTitle } from '../../web/components/ui.tsx';
import { displayOf } from '../../web/display.ts';
import type { Handlers, PageProps } from '../../web/route.ts';

type Filters = { q: string; industry: string; size: string; tag: string };
type Data = {
  rows: CompanyRow[];
  nextCursor: string | null;
  filters: Filters;
  users: UserOption[];
  error?: ApiFailure;
};

export const PAGE_SIZE = 50;

/** The list API's filters from the page's query string; what is not a valid value is dropped, not sent. */
export function companyFilters(params: URLSearchParams): Filters {
  const size = params.get('size') ?? '';
  return {
    q: (params.get('q') ?? '').trim().slice(0, 100),
    industry: (params.get('industry') ?? '').trim().slice(0, 100),
    size: (companySizes as readonly string[]).includes(size) ? size : '',
    tag: (params.get('tag') ?? '').trim().slice(0, 50),
  };
}

export function companyFilterQuery(filters: Filters) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  return query.toString();
}

const withLimit = (filterQuery: string) => (filterQuery ? `limit=${PAGE_SIZE}&${filterQuery}` : `limit=${PAGE_SIZE}`);

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const filters = companyFilters(ctx.url.searchParams);
    type Page = { data: CompanyRow[]; nextCursor: string | null };
    const [answer, users] = await Promise.all([
      ctx.api<Page>(`/api/v1/companies?${withLimit(companyFilterQuery(filters))}`),
      loadUsers(ctx.api),
    ]);
    if (!answer.ok) {
      const data = { rows: [], nextCursor: null, filters, users, error: answer.error };
      return ctx.render(data, { title: 'Companies', status: answer.status });
    }
    const rows = answer.data.data.map(toCompanyRow);
    return ctx.render({ rows, nextCursor: answer.data.nextCursor, filters, users }, { title: 'Companies' });
  },
};

export default function Companies({ data, me }: PageProps<Data>) {
  const can = (permission: string) => me?.permissions.includes(permission) ?? false;
  const filterQuery = companyFilterQuery(data.filters);
  const owners = Object.fromEntries(data.users.map((u) => [u.id, u.name || u.email]));
  return (
    <>
      <PageTitle
        actions={
          <>
            {can('data:export') && (
              <a
                href={`/api/v1/exports/companies.csv${filterQuery ? `?${filterQuery}` : ''}`}
                class="btn-secondary"
                download
              >
                Export CSV
              </a>
            )}
            {can('companies:create') && (
              <a href="/companies/new" class="btn-primary">
                New company
              </a>
            )}
          </>
        }
      >
        Companies
      </PageTitle>
      <form method="get" action="/companies" class="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter companies">
        <div class="w-full sm:w-auto">
          <label for="filter-q" class="label">
            Name starts with
          </label>
          <input id="filter-q" name="q" type="search" class="input sm:w-64" value={data.filters.q} />
        </div>
        <div>
          <label for="filter-industry" class="label">
            Industry
          </label>
          <input id="filter-industry" name="industry" class="input sm:w-40" value={data.filters.industry} />
        </div>
        <div>
          <label for="filter-size" class="label">
            Size
          </label>
          <select id="filter-size" name="size" class="input">
            <option value="">Any size</option>
            {companySizes.map((s) => (
              <option key={s} value={s} selected={data.filters.size === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="filter-tag" class="label">
            Tag
          </label>
          <input id="filter-tag" name="tag" class="input sm:w-40" value={data.filters.tag} />
        </div>
        <button type="submit" class="btn-secondary">
          Apply filters
        </button>
        {filterQuery && (
          <a href="/companies" class="text-sm text-indigo-700 underline">
            Clear
          </a>
        )}
      </form>
      {data.error ? (
        <Alert>{data.error.message}</Alert>
      ) : (
        <CompaniesTable
          rows={data.rows}
          nextCursor={data.nextCursor}
          query={withLimit(filterQuery)}
          owners={owners}
          display={displayOf(me)}
        />
      )}
    </>
  );
}
