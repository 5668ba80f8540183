import type { ComponentChildren } from 'preact';
import ReportChart from '../../islands/ReportChart.tsx';
import type { ApiResult } from '../api.ts';
import type { ChartProps } from '../client/chart.tsx';
import { Alert } from './ui.tsx';

/** The JSON answers of the reports, as far as the page reads them (openapi/schemas/analytics.ts has them whole). */
type Money = { currency: string; deals: number; amount: string; weightedAmount?: string };
export type Reports = {
  pipeline: { pipeline: { name: string }; stages: { name: string; probability: number; totals: Money[] }[] };
  funnel: {
    steps: { step: string; count: number; conversionRate: number | null }[];
    overallConversionRate: number | null;
  };
  'win-rate': { won: number; lost: number; winRate: number | null; averageSalesCycleDays: number | null };
  revenue: { period: string; periods: { period: string; totals: Money[] }[]; totals: Money[] };
  'lead-sources': {
    sources: { source: string | null; leads: number; converted: number; conversionRate: number | null }[];
    totals: { leads: number; converted: number; conversionRate: number | null };
  };
  activity: {
    reps: {
      name: string | null;
      email: string | null;
      tasksDone: number;
      calls: number;
      meetings: number;
      notes: number;
      emails: number;
      total: number;
    }[];
  };
  leaderboard: {
    currency: string;
    reps: {
      rank: number;
      name: string;
      email: string;
      wonRevenue: string;
      dealsWon: number;
      activitiesLogged: number;
    }[];
  };
};
export type ReportName = keyof Reports;

export const money = (amount: string | number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 2 }).format(Number(amount));
const rate = (r: number | null) => (r === null ? '—' : `${r}%`);
const moneyList = (totals: Money[]) => totals.map((t) => money(t.amount, t.currency)).join(' + ') || '—';
/** The currency most of the figures are in, which a chart can draw (the table lists every currency). */
const mainCurrency = (totals: Money[]) => [...totals].sort((a, b) => b.deals - a.deals)[0]?.currency ?? 'USD';
const amountIn = (totals: Money[], currency: string, key: 'amount' | 'weightedAmount' = 'amount') =>
  Number(totals.find((t) => t.currency === currency)?.[key] ?? 0);

function Table(props: { caption: string; head: string[]; rows: (string | number)[][]; numeric?: number[] }) {
  const right = (i: number) => (props.numeric ?? []).includes(i) || i > 0;
  return (
    <div class="overflow-x-auto">
      <table class="w-full text-left text-sm">
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr class="border-b border-slate-200 text-slate-700">
            {props.head.map((h, i) => (
              <th key={h} scope="col" class={`px-2 py-1.5 font-medium ${right(i) ? 'text-right' : ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.head.length} class="px-2 py-3 text-slate-600">
                Nothing in this range.
              </td>
            </tr>
          ) : (
            props.rows.map((row, r) => (
              <tr key={r} class="border-b border-slate-100">
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row" class="px-2 py-1.5 font-normal">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} class="px-2 py-1.5 text-right tabular-nums">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function Section(props: {
  id: ReportName;
  title: string;
  csv: string | null;
  answer: ApiResult<unknown>;
  children: (data: never) => ComponentChildren;
}) {
  const headingId = `report-${props.id}`;
  return (
    <section aria-labelledby={headingId} class="card" data-report={props.id}>
      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} class="text-lg font-semibold">
          {props.title}
        </h2>
        {props.csv && props.answer.ok && (
          <a href={props.csv} download class="btn-secondary">
            Download CSV<span class="sr-only"> of {props.title}</span>
          </a>
        )}
      </div>
      {props.answer.ok ? props.children(props.answer.data as never) : <Alert>{props.answer.error.message}</Alert>}
    </section>
  );
}

const chart = (props: ChartProps) => <ReportChart {...props} />;

/** Every report: its chart, its table and its CSV download, in the order a sales meeting reads them. */
export function ReportSections(props: {
  answers: { [K in ReportName]: ApiResult<Reports[K]> };
  csv: (name: ReportName) => string | null;
}) {
  const { answers, csv } = props;
  const section = <K extends ReportName>(id: K, title: string, body: (data: Reports[K]) => ComponentChildren) => (
    <Section id={id} title={title} csv={csv(id)} answer={answers[id]}>
      {body as (data: never) => ComponentChildren}
    </Section>
  );
  return (
    <div class="grid grid-cols-1 gap-6 xl:grid-cols-2">
      {section('pipeline', 'Pipeline by stage', (d) => {
        const currency = mainCurrency(d.stages.flatMap((s) => s.totals));
        return (
          <>
            <p class="mb-2 text-sm text-slate-600">
              Open deals of {d.pipeline.name} created in the range; weighted by each stage's win probability ({currency}
              ).
            </p>
            {chart({
              kind: 'bars',
              labels: d.stages.map((s) => s.name),
              series: [
                { label: 'Amount', values: d.stages.map((s) => amountIn(s.totals, currency)) },
                { label: 'Weighted', values: d.stages.map((s) => amountIn(s.totals, currency, 'weightedAmount')) },
              ],
              unit: { currency },
            })}
            <Table
              caption="Pipeline by stage"
              head={['Stage', 'Probability', 'Deals', 'Amount', 'Weighted']}
              rows={d.stages.map((s) => [
                s.name,
                `${s.probability}%`,
                s.totals.reduce((n, t) => n + t.deals, 0),
                moneyList(s.totals),
                s.totals.map((t) => money(t.weightedAmount ?? 0, t.currency)).join(' + ') || '—',
              ])}
            />
          </>
        );
      })}
      {section('funnel', 'Funnel', (d) => (
        <>
          <p class="mb-2 text-sm text-slate-600">
            Leads created in the range and how far they got; overall {rate(d.overallConversionRate)} became won deals.
          </p>
          {chart({
            kind: 'bars',
            labels: d.steps.map((s) => stepName(s.step)),
            series: [{ label: 'Count', values: d.steps.map((s) => s.count) }],
          })}
          <Table
            caption="Funnel"
            head={['Step', 'Count', 'From the step before']}
            rows={d.steps.map((s) => [stepName(s.step), s.count, rate(s.conversionRate)])}
          />
        </>
      ))}
      {section('win-rate', 'Win rate and sales cycle', (d) => (
        <>
          {chart({
            kind: 'bars',
            labels: ['Won', 'Lost'],
            series: [{ label: 'Deals', values: [d.won, d.lost] }],
            height: 160,
          })}
          <Table
            caption="Win rate and sales cycle"
            head={['Deals closed', 'Won', 'Lost', 'Win rate', 'Average sales cycle']}
            rows={[
              [
                'In the range',
                d.won,
                d.lost,
                rate(d.winRate),
                d.averageSalesCycleDays === null ? '—' : `${d.averageSalesCycleDays} days`,
              ],
            ]}
          />
        </>
      ))}
      {section('revenue', 'Revenue won', (d) => {
        const currency = mainCurrency(d.totals);
        return (
          <>
            <p class="mb-2 text-sm text-slate-600">
              Won deals per {d.period}; total {moneyList(d.totals)}.
            </p>
            {chart({
              kind: 'line',
              labels: d.periods.map((p) => p.period),
              series: [{ label: currency, values: d.periods.map((p) => amountIn(p.totals, currency)) }],
              unit: { currency },
            })}
            <Table
              caption="Revenue won per period"
              head={['Period', 'Deals', 'Revenue']}
              rows={d.periods.map((p) => [p.period, p.totals.reduce((n, t) => n + t.deals, 0), moneyList(p.totals)])}
            />
          </>
        );
      })}
      {section('lead-sources', 'Lead sources', (d) => (
        <>
          <p class="mb-2 text-sm text-slate-600">
            {d.totals.leads} leads created in the range, {rate(d.totals.conversionRate)} converted.
          </p>
          {chart({
            kind: 'bars',
            labels: d.sources.map((s) => s.source ?? 'Unknown'),
            series: [
              { label: 'Leads', values: d.sources.map((s) => s.leads) },
              { label: 'Converted', values: d.sources.map((s) => s.converted) },
            ],
          })}
          <Table
            caption="Lead sources"
            head={['Source', 'Leads', 'Converted', 'Conversion rate']}
            rows={d.sources.map((s) => [s.source ?? 'Unknown', s.leads, s.converted, rate(s.conversionRate)])}
          />
        </>
      ))}
      {section('activity', 'Activity per rep', (d) => (
        <>
          {chart({
            kind: 'bars',
            labels: d.reps.map(repName),
            series: [{ label: 'Activities', values: d.reps.map((r) => r.total) }],
          })}
          <Table
            caption="Activity per rep"
            head={['Rep', 'Tasks done', 'Calls', 'Meetings', 'Notes', 'Emails', 'Total']}
            rows={d.reps.map((r) => [repName(r), r.tasksDone, r.calls, r.meetings, r.notes, r.emails, r.total])}
          />
        </>
      ))}
      {section('leaderboard', 'Leaderboard', (d) => (
        <>
          {chart({
            kind: 'bars',
            labels: d.reps.map(repName),
            series: [{ label: 'Won revenue', values: d.reps.map((r) => Number(r.wonRevenue)) }],
            unit: { currency: d.currency },
          })}
          <Table
            caption={`Leaderboard by revenue won in ${d.currency}`}
            head={['Rep', 'Rank', 'Revenue won', 'Deals won', 'Activities']}
            rows={d.reps.map((r) => [
              repName(r),
              r.rank,
              money(r.wonRevenue, d.currency),
              r.dealsWon,
              r.activitiesLogged,
            ])}
          />
        </>
      ))}
    </div>
  );
}

const steps: Record<string, string> = { lead: 'Leads', contact: 'Contacts', deal: 'Deals', won: 'Won' };
const stepName = (step: string) => steps[step] ?? step;
const repName = (r: { name: string | null; email: string | null }) => r.name || r.email || 'Nobody';
