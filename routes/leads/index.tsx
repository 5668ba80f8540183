import LeadsTable, { type LeadRow } from '../../islands/LeadsTable.tsx';
import type { ApiFailure } from '../../web/api.ts';
import { Alert, PageTitle } from '../../web/components/ui.tsx';
import { displayOf } from '../../web/display.ts';
import { FilterForm, type UserOption } from '../../web/leads/FilterForm.tsx';
import {
  type CustomFieldDef,
  defaultSort,
  type Filters,
  filtersOf,
  listQuery,
  sortParam,
  viewSort,
} from '../../web/leads/query.ts';
import { type SavedView, SavedViews } from '../../web/leads/SavedViews.tsx';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Data = {
  rows: LeadRow[];
  nextCursor: string | null;
  filters: Filters;
  sort: string;
  fields: CustomFieldDef[];
  users: UserOption[];
  views: SavedView[];
  current: SavedView | null;
  error?: ApiFailure;
  viewError?: { action: string; failure: ApiFailure };
  notice?: string;
};

export const PAGE_SIZE = 100;

export const toRow = (lead: LeadRow & Record<string, unknown>): LeadRow => ({
  id: lead.id,
  firstName: lead.firstName,
  lastName: lead.lastName,
  email: lead.email,
  company: lead.company,
  source: lead.source,
  status: lead.status,
  score: lead.score,
  ownerId: lead.ownerId,
  version: lead.version,
  createdAt: lead.createdAt,
});

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything the page shows for a URL: the first page of leads and what the filters and views offer. */
async function load(ctx: RouteContext<Data>, url: URL, extra: Partial<Data> = {}): Promise<Data> {
  const [fields, users, views] = await Promise.all([
    ctx.api<{ data: CustomFieldDef[] }>('/api/v1/custom-fields?entity=lead'),
    ctx.api<{ data: UserOption[] }>('/api/v1/users'),
    ctx.api<{ data: SavedView[] }>('/api/v1/saved-views?entity=lead&limit=200'),
  ]);
  const definitions = fields.ok ? fields.data.data : [];
  const filters = filtersOf(url.searchParams, definitions);
  const sort = url.searchParams.get('sort') || defaultSort;
  const viewId = url.searchParams.get('view') ?? '';
  const allViews = views.ok ? views.data.data : [];
  type Page = { data: (LeadRow & Record<string, unknown>)[]; nextCursor: string | null };
  const answer = await ctx.api<Page>(`/api/v1/leads?limit=${PAGE_SIZE}&${listQuery(filters, sort)}`);
  return {
    rows: answer.ok ? answer.data.data.map(toRow) : [],
    nextCursor: answer.ok ? answer.data.nextCursor : null,
    filters,
    sort,
    fields: definitions,
    users: users.ok ? users.data.data.map(({ id, name, email }) => ({ id, name, email })) : [],
    views: allViews,
    current: allViews.find((v) => v.id === viewId) ?? null,
    error: answer.ok ? undefined : answer.error,
    ...extra,
  };
}

/** The list URL for filters and a sort, marked as showing a view when it is one. */
function listUrl(filters: Filters, sort: string, viewId?: string) {
  const query = new URLSearchParams(listQuery(filters, sort));
  if (viewId) query.set('view', viewId);
  const text = query.toString();
  return text ? `/leads?${text}` : '/leads';
}

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const viewId = ctx.url.searchParams.get('view') ?? '';
    const onlyView = [...ctx.url.searchParams.keys()].every((k) => k === 'view');
    // Opening a view is a redirect to its filters and sort, so what the URL says is what the list shows.
    if (viewId && onlyView && uuid.test(viewId)) {
      const view = await ctx.api<SavedView>(`/api/v1/saved-views/${viewId}`);
      if (view.ok) {
        const filters = Object.fromEntries(Object.entries(view.data.filters).map(([k, v]) => [k, String(v)]));
        return ctx.redirect(listUrl(filters, sortParam(view.data.sort), viewId));
      }
      return ctx.render(await load(ctx, new URL('/leads', ctx.url), { notice: view.error.message }), {
        title: 'Leads',
        status: view.status,
      });
    }
    if (viewId === '' && onlyView && ctx.url.searchParams.has('view')) return ctx.redirect('/leads');
    return ctx.render(await load(ctx, ctx.url), { title: 'Leads' });
  },
  async POST(ctx) {
    const form = await ctx.form();
    const filters: Filters = {};
    for (const [name, value] of form.entries()) {
      if (name.startsWith('filter:') && typeof value === 'string') filters[name.slice('filter:'.length)] = value;
    }
    const sort = String(form.get('sort') ?? '') || defaultSort;
    const action = String(form.get('_action') ?? '');
    const viewId = String(form.get('view') ?? '');
    const name = String(form.get('name') ?? '').trim();
    const shared = form.get('shared') === 'true';
    const back = new URL(listUrl(filters, sort, viewId || undefined), ctx.url);
    const failed = async (failure: ApiFailure) =>
      ctx.render(await load(ctx, back, { viewError: { action, failure } }), { title: 'Leads', status: failure.status });
    if (action === 'save') {
      const made = await ctx.api<SavedView>('/api/v1/saved-views', {
        method: 'POST',
        body: { name, entity: 'lead', filters, sort: viewSort(sort), shared },
      });
      return made.ok ? ctx.redirect(listUrl(filters, sort, made.data.id)) : failed(made.error);
    }
    if ((action === 'rename' || action === 'delete') && uuid.test(viewId)) {
      if (action === 'delete' && form.get('confirm') !== 'yes') {
        return failed({
          status: 400,
          code: 'confirmation_required',
          message: 'Tick the box to confirm the deletion',
          details: [{ path: 'confirm', message: 'Tick the box to confirm the deletion' }],
        });
      }
      const answer =
        action === 'rename'
          ? await ctx.api(`/api/v1/saved-views/${viewId}`, { method: 'PATCH', body: { name, shared } })
          : await ctx.api(`/api/v1/saved-views/${viewId}`, { method: 'DELETE' });
      if (!answer.ok) return failed(answer.error);
      return ctx.redirect(listUrl(filters, sort, action === 'rename' ? viewId : undefined));
    }
    return failed({ status: 400, code: 'bad_request', message: 'Unknown view action', details: [] });
  },
};

export default function Leads({ data, me, csrf, url }: PageProps<Data>) {
  const can = (permission: string) => me?.permissions.includes(permission) ?? false;
  const exportQuery = new URLSearchParams(data.filters).toString();
  return (
    <>
      <PageTitle
        actions={
          <>
            {can('data:export') && (
              <a
                href={`/api/v1/exports/leads.csv${exportQuery ? `?${exportQuery}` : ''}`}
                class="btn-secondary"
                download
              >
                Export CSV
              </a>
            )}
            {can('leads:create') && (
              <a href="/leads/new" class="btn-primary">
                New lead
              </a>
            )}
          </>
        }
      >
        {data.current ? `Leads: ${data.current.name}` : 'Leads'}
      </PageTitle>
      {data.notice && <Alert>{data.notice}</Alert>}
      <SavedViews
        views={data.views}
        current={data.current}
        meId={me?.user?.id ?? null}
        filters={data.filters}
        sort={data.sort}
        csrf={csrf}
        action={`/leads${url.search}`}
        error={data.viewError}
      />
      <FilterForm filters={data.filters} sort={data.sort} fields={data.fields} users={data.users} error={data.error} />
      {data.error ? (
        <Alert>{data.error.message}</Alert>
      ) : (
        <LeadsTable
          rows={data.rows}
          nextCursor={data.nextCursor}
          filters={data.filters}
          sort={data.sort}
          users={data.users}
          canWrite={can('leads:update')}
          canDelete={can('leads:delete')}
          display={displayOf(me)}
        />
      )}
    </>
  );
}
