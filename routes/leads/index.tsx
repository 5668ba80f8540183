import { leadStatuses } from '../../db/schema/lead-statuses.ts';
import LeadsTable, { type LeadRow } from '../../islands/LeadsTable.tsx';
import type { ApiFailure } from '../../web/api.ts';
import { Alert, PageTitle, statusLabels } from '../../web/components/ui.tsx';
import type { Handlers, PageProps } from '../../web/route.ts';

type Data = {
  rows: LeadRow[];
  nextCursor: string | null;
  filters: { status: string; source: string };
  error?: ApiFailure;
};

export const PAGE_SIZE = 50;

/** The query string the list API takes for these filters (shared by the first page and "load more"). */
export function leadQuery(filters: { status: string; source: string }) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.status) query.set('status', filters.status);
  if (filters.source) query.set('source', filters.source);
  return query.toString();
}

export const toRow = (lead: LeadRow & Record<string, unknown>): LeadRow => ({
  id: lead.id,
  firstName: lead.firstName,
  lastName: lead.lastName,
  email: lead.email,
  company: lead.company,
  source: lead.source,
  status: lead.status,
  score: lead.score,
  version: lead.version,
  createdAt: lead.createdAt,
});

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const status = ctx.url.searchParams.get('status') ?? '';
    const filters = {
      status: (leadStatuses as readonly string[]).includes(status) ? status : '',
      source: (ctx.url.searchParams.get('source') ?? '').trim().slice(0, 100),
    };
    type Page = { data: (LeadRow & Record<string, unknown>)[]; nextCursor: string | null };
    const answer = await ctx.api<Page>(`/api/v1/leads?${leadQuery(filters)}`);
    if (!answer.ok) {
      return ctx.render({ rows: [], nextCursor: null, filters, error: answer.error }, { title: 'Leads' });
    }
    return ctx.render(
      { rows: answer.data.data.map(toRow), nextCursor: answer.data.nextCursor, filters },
      { title: 'Leads' },
    );
  },
};

export default function Leads({ data, me }: PageProps<Data>) {
  const canCreate = me?.permissions.includes('leads:create') ?? false;
  const canWrite = me?.permissions.includes('leads:update') ?? false;
  return (
    <>
      <PageTitle
        actions={
          canCreate && (
            <a href="/leads/new" class="btn-primary">
              New lead
            </a>
          )
        }
      >
        Leads
      </PageTitle>
      <form method="get" action="/leads" class="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter leads">
        <div>
          <label for="filter-status" class="label">
            Status
          </label>
          <select id="filter-status" name="status" class="input">
            <option value="">Any status</option>
            {leadStatuses.map((s) => (
              <option key={s} value={s} selected={data.filters.status === s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="filter-source" class="label">
            Source
          </label>
          <input
            id="filter-source"
            name="source"
            class="input"
            value={data.filters.source}
            placeholder="e.g. referral"
          />
        </div>
        <button type="submit" class="btn-secondary">
          Apply filters
        </button>
        {(data.filters.status || data.filters.source) && (
          <a href="/leads" class="text-sm text-indigo-700 underline">
            Clear
          </a>
        )}
      </form>
      {data.error ? (
        <Alert>{data.error.message}</Alert>
      ) : (
        <LeadsTable rows={data.rows} nextCursor={data.nextCursor} query={leadQuery(data.filters)} canWrite={canWrite} />
      )}
    </>
  );
}
