import ReportFilters from '../islands/ReportFilters.tsx';
import type { ApiResult } from '../web/api.ts';
import { type ReportName, ReportSections, type Reports } from '../web/components/reports.tsx';
import { Alert, PageTitle } from '../web/components/ui.tsx';
import { type ChosenRange, chooseRange } from '../web/report-range.ts';
import type { Handlers, PageProps } from '../web/route.ts';

type Data = {
  range: ChosenRange;
  tzGiven: boolean;
  ownerId: string;
  owners: { id: string; name: string }[] | null;
  canExport: boolean;
  answers: { [K in ReportName]: ApiResult<Reports[K]> };
};

const names: ReportName[] = ['pipeline', 'funnel', 'win-rate', 'revenue', 'lead-sources', 'activity', 'leaderboard'];
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The query every report of the page is asked with (revenue adds its period). */
function reportQuery(range: ChosenRange, ownerId: string, name: ReportName) {
  const query = new URLSearchParams({ from: range.from, to: range.to, tz: range.tz });
  if (ownerId) query.set('ownerId', ownerId);
  if (name === 'revenue') query.set('period', range.period);
  return query;
}

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const range = chooseRange(ctx.url.searchParams);
    const canPick = ctx.me?.role !== 'sales_rep' && (ctx.me?.permissions.includes('users:read') ?? false);
    const asked = ctx.url.searchParams.get('ownerId') ?? '';
    const ownerId = canPick && uuid.test(asked) ? asked : '';
    const [users, ...reports] = await Promise.all([
      canPick
        ? ctx.api<{ data: { id: string; name: string; email: string; status: string }[] }>('/api/v1/users')
        : null,
      ...names.map((name) => ctx.api(`/api/v1/analytics/${name}?${reportQuery(range, ownerId, name)}`)),
    ]);
    const owners =
      users?.ok === true
        ? users.data.data.filter((u) => u.status !== 'invited').map((u) => ({ id: u.id, name: u.name || u.email }))
        : null;
    return ctx.render(
      {
        range,
        tzGiven: ctx.url.searchParams.has('tz'),
        ownerId,
        owners,
        canExport: ctx.me?.permissions.includes('reports:export') ?? false,
        answers: Object.fromEntries(names.map((name, i) => [name, reports[i]])) as Data['answers'],
      },
      { title: 'Reports' },
    );
  },
};

export default function ReportsPage({ data }: PageProps<Data>) {
  const { range } = data;
  const csv = (name: ReportName) => {
    if (!data.canExport) return null;
    const query = reportQuery(range, data.ownerId, name);
    query.set('format', 'csv');
    return `/api/v1/analytics/${name}?${query}`;
  };
  return (
    <>
      <PageTitle>Reports</PageTitle>
      <ReportFilters range={range} tzGiven={data.tzGiven} owners={data.owners} ownerId={data.ownerId} />
      <p class="mb-4 text-sm text-slate-700" role="status">
        From <strong>{range.from}</strong> to <strong>{range.to}</strong>, days counted in {range.tz}.
      </p>
      {!data.canExport && (
        <div class="mb-4">
          <Alert tone="info">CSV downloads need the reports:export permission (managers and admins have it).</Alert>
        </div>
      )}
      <ReportSections answers={data.answers} csv={csv} />
    </>
  );
}
