import type { ApiResult } from '../web/api.ts';
import { Alert, PageTitle } from '../web/components/ui.tsx';
import type { Handlers, PageProps } from '../web/route.ts';

type Money = { currency: string; deals: number; amount: string; weightedAmount?: string };
type Stage = { stageId: string; name: string; probability: number; totals: Money[] };
type Metrics = {
  leadsToday: number | null;
  leadsThisWeek: number | null;
  conversionRate: number | null;
  pipeline: { name: string; stages: Stage[]; totals: Money[] } | null;
  wonThisMonth: Money[] | null;
  openTasks: number | null;
  overdueTasks: number | null;
  sources: { source: string | null; leads: number; converted: number }[];
  failures: string[];
};

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Days counted in UTC, as the reports default to; the week starts on Monday. */
function periods(now = new Date()) {
  const today = day(now);
  const monday = new Date(now);
  monday.setUTCDate(now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
  const monthStart = `${today.slice(0, 8)}01`;
  return { today, weekStart: day(monday), monthStart };
}

const value = <T, R>(answer: ApiResult<T>, pick: (data: T) => R, failures: string[], what: string): R | null => {
  if (answer.ok) return pick(answer.data);
  failures.push(`${what}: ${answer.error.message}`);
  return null;
};

export const handler: Handlers<Metrics> = {
  async GET(ctx) {
    const { today, weekStart, monthStart } = periods();
    type Sources = { sources: Metrics['sources']; totals: { leads: number; conversionRate: number | null } };
    type Tasks = { data: unknown[]; nextCursor: string | null };
    const [todaySources, weekSources, monthSources, pipeline, revenue, open, overdue] = await Promise.all([
      ctx.api<Sources>(`/api/v1/analytics/lead-sources?from=${today}&to=${today}`),
      ctx.api<Sources>(`/api/v1/analytics/lead-sources?from=${weekStart}&to=${today}`),
      ctx.api<Sources>(`/api/v1/analytics/lead-sources?from=${monthStart}&to=${today}`),
      ctx.api<NonNullable<Metrics['pipeline']> & { pipeline: { name: string } }>('/api/v1/analytics/pipeline'),
      ctx.api<{ totals: Money[] }>(`/api/v1/analytics/revenue?from=${monthStart}&to=${today}&period=month`),
      ctx.api<Tasks>('/api/v1/me/tasks?view=open&limit=200'),
      ctx.api<Tasks>('/api/v1/me/tasks?view=overdue&limit=200'),
    ]);
    const failures: string[] = [];
    const metrics: Metrics = {
      leadsToday: value(todaySources, (d) => d.totals.leads, failures, 'New leads today'),
      leadsThisWeek: value(weekSources, (d) => d.totals.leads, failures, 'New leads this week'),
      conversionRate: value(monthSources, (d) => d.totals.conversionRate, failures, 'Conversion rate'),
      sources: value(monthSources, (d) => d.sources, failures, 'Lead sources') ?? [],
      pipeline: value(
        pipeline,
        (d) => ({ name: d.pipeline.name, stages: d.stages, totals: d.totals }),
        failures,
        'Pipeline',
      ),
      wonThisMonth: value(revenue, (d) => d.totals, failures, 'Deals won this month'),
      openTasks: value(open, (d) => d.data.length, failures, 'My open tasks'),
      overdueTasks: value(overdue, (d) => d.data.length, failures, 'Overdue tasks'),
      failures,
    };
    return ctx.render(metrics, { title: 'Dashboard' });
  },
};

const money = (m: { currency: string; amount: string }) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: m.currency, maximumFractionDigits: 0 }).format(
    Number(m.amount),
  );

function Stat(props: { label: string; value: string; note?: string }) {
  return (
    <div class="card">
      <dt class="text-sm font-medium text-slate-600">{props.label}</dt>
      <dd class="mt-1 text-2xl font-semibold tracking-tight">{props.value}</dd>
      {props.note && <dd class="mt-1 text-xs text-slate-600">{props.note}</dd>}
    </div>
  );
}

/** A horizontal bar chart in plain HTML: readable without JavaScript and by screen readers (it is a list). */
function Bars(props: { label: string; rows: { name: string; value: number; text: string }[] }) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <figure class="card">
      <figcaption class="mb-3 font-medium">{props.label}</figcaption>
      {props.rows.length === 0 ? (
        <p class="text-sm text-slate-600">Nothing yet.</p>
      ) : (
        <ul class="space-y-2">
          {props.rows.map((row) => (
            <li key={row.name} class="grid grid-cols-[8rem_1fr_auto] items-center gap-2 text-sm">
              <span class="truncate">{row.name}</span>
              <span class="h-3 rounded bg-slate-100" aria-hidden="true">
                <span class="block h-3 rounded bg-indigo-600" style={{ width: `${(row.value / max) * 100}%` }} />
              </span>
              <span class="tabular-nums">{row.text}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

export default function Dashboard({ data, me }: PageProps<Metrics>) {
  const show = (n: number | null) => (n === null ? '—' : String(n));
  const pipelineTotal = data.pipeline?.totals.map(money).join(' + ') || '0';
  const weighted = data.pipeline?.totals
    .map((t) => money({ currency: t.currency, amount: t.weightedAmount ?? '0' }))
    .join(' + ');
  const won = data.wonThisMonth;
  return (
    <>
      <PageTitle>Welcome{me?.user?.name ? `, ${me.user.name}` : ''}</PageTitle>
      {data.failures.length > 0 && <Alert>Some figures could not be loaded: {data.failures.join('; ')}</Alert>}
      <dl class="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Stat label="New leads today" value={show(data.leadsToday)} />
        <Stat label="New leads this week" value={show(data.leadsThisWeek)} />
        <Stat
          label="Pipeline value"
          value={data.pipeline ? pipelineTotal : '—'}
          note={weighted ? `Weighted: ${weighted}` : undefined}
        />
        <Stat
          label="Deals won this month"
          value={won ? String(won.reduce((n, t) => n + t.deals, 0)) : '—'}
          note={won?.length ? won.map(money).join(' + ') : undefined}
        />
        <Stat
          label="Lead conversion rate"
          value={data.conversionRate === null ? '—' : `${data.conversionRate}%`}
          note="Leads created this month that were converted"
        />
        <Stat
          label="My open tasks"
          value={show(data.openTasks)}
          note={data.overdueTasks ? `${data.overdueTasks} overdue` : 'None overdue'}
        />
      </dl>
      <div class="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Bars
          label={`Pipeline by stage${data.pipeline ? ` (${data.pipeline.name})` : ''}`}
          rows={(data.pipeline?.stages ?? []).map((s) => {
            const deals = s.totals.reduce((n, t) => n + t.deals, 0);
            return {
              name: s.name,
              value: deals,
              text: `${deals} ${deals === 1 ? 'deal' : 'deals'}${s.totals.length ? ` · ${s.totals.map(money).join(' + ')}` : ''}`,
            };
          })}
        />
        <Bars
          label="Leads by source this month"
          rows={data.sources.map((s) => ({ name: s.source ?? 'Unknown', value: s.leads, text: `${s.leads} leads` }))}
        />
      </div>
    </>
  );
}
