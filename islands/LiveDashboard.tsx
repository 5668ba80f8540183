import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { DashboardSnapshot } from '../regions/analytics/dashboard.ts';
import { Chart } from '../web/client/chart.tsx';
import { island } from '../web/island.tsx';

type Props = {
  /** The figures the server read for the page (in UTC); the stream replaces them with the browser's days at once. */
  initial: DashboardSnapshot | null;
  error: string | null;
  /** Extra query for the stream (a manager looking at one rep: ownerId). */
  query: string;
};

type Connection = 'connecting' | 'live' | 'reconnecting' | 'stopped';
const connectionText: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Live updates stopped; retrying shortly',
};

type Totals = { currency: string; deals: number; amount: string; weightedAmount?: string };
const money = (amount: string | number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(Number(amount));
const sumOf = (totals: Totals[], key: 'amount' | 'weightedAmount' = 'amount') =>
  totals.map((t) => money(t[key] ?? 0, t.currency)).join(' + ');

function Tile(props: { id: string; label: string; value: string; note?: string }) {
  return (
    <div class="card" data-tile={props.id}>
      <dt class="text-sm font-medium text-slate-600">{props.label}</dt>
      <dd class="mt-1 text-2xl font-semibold tracking-tight tabular-nums" data-value>
        {props.value}
      </dd>
      {props.note && <dd class="mt-1 text-xs text-slate-600">{props.note}</dd>}
    </div>
  );
}

/**
 * The dashboard's tiles and charts, kept current by the dashboard stream (Server-Sent Events through the edge, on
 * the session cookies): each `snapshot` event replaces the figures. EventSource reconnects by itself after a
 * dropped connection; a refused one (it closes) is opened again after a pause that grows up to a minute.
 */
function LiveDashboard(props: Props) {
  const figures = useSignal(props.initial);
  const connection = useSignal<Connection>('connecting');
  useEffect(() => {
    const query = new URLSearchParams(props.query);
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz) query.set('tz', tz);
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let pauseMs = 2_000;
    const open = () => {
      source = new EventSource(`/api/v1/analytics/dashboard/stream?${query}`);
      source.addEventListener('snapshot', (event) => {
        figures.value = JSON.parse((event as MessageEvent<string>).data) as DashboardSnapshot;
        connection.value = 'live';
        pauseMs = 2_000;
      });
      source.onopen = () => {
        connection.value = 'live';
      };
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) {
          connection.value = 'stopped';
          retry = setTimeout(open, pauseMs);
          pauseMs = Math.min(60_000, pauseMs * 2);
        } else {
          connection.value = 'reconnecting';
        }
      };
    };
    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, []);

  const d = figures.value;
  const show = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));
  const live = connection.value === 'live';
  return (
    <>
      <p class="mb-4 flex items-center gap-2 text-sm text-slate-700" role="status" data-connection={connection.value}>
        <span
          aria-hidden="true"
          class={`inline-block h-2.5 w-2.5 rounded-full ${live ? 'bg-green-600' : 'bg-amber-500'}`}
        />
        {connectionText[connection.value]}
        {d && <span class="text-slate-600">· figures as of {new Date(d.asOf).toLocaleTimeString('en')}</span>}
      </p>
      {props.error && !d && <p class="alert-error mb-4">Some figures could not be loaded: {props.error}</p>}
      <dl class="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Tile id="leads-today" label="New leads today" value={show(d?.leads.today)} />
        <Tile id="leads-week" label="New leads this week" value={show(d?.leads.thisWeek)} note="Since Monday" />
        <Tile
          id="pipeline"
          label="Pipeline value"
          value={d?.pipeline ? sumOf(d.pipeline.totals) || money(0, 'USD') : '—'}
          note={d?.pipeline?.totals.length ? `Weighted: ${sumOf(d.pipeline.totals, 'weightedAmount')}` : undefined}
        />
        <Tile
          id="won-month"
          label="Deals won this month"
          value={show(d?.wonThisMonth.deals)}
          note={d?.wonThisMonth.totals.length ? sumOf(d.wonThisMonth.totals) : undefined}
        />
        <Tile
          id="conversion"
          label="Lead conversion rate"
          value={d?.leads.conversionRate === null || !d ? '—' : `${d.leads.conversionRate}%`}
          note={d ? `${d.leads.convertedThisMonth} of ${d.leads.thisMonth} leads this month converted` : undefined}
        />
        <Tile
          id="tasks"
          label="My open tasks"
          value={show(d?.myTasks?.open)}
          note={d?.myTasks ? (d.myTasks.overdue ? `${d.myTasks.overdue} overdue` : 'None overdue') : undefined}
        />
      </dl>
      {d && (
        <div class="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
          <figure class="card">
            <figcaption class="mb-3 font-medium">New leads per day, last 14 days</figcaption>
            <Chart
              kind="bars"
              labels={d.leadsPerDay.map((p) => p.day.slice(5))}
              series={[{ label: 'Leads', values: d.leadsPerDay.map((p) => p.leads) }]}
              height={180}
            />
            <table class="sr-only">
              <caption>New leads per day</caption>
              <tbody>
                {d.leadsPerDay.map((p) => (
                  <tr key={p.day}>
                    <th scope="row">{p.day}</th>
                    <td>{p.leads}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
          <figure class="card">
            <figcaption class="mb-3 font-medium">
              Open pipeline by stage{d.pipeline ? ` (${d.pipeline.name})` : ''}
            </figcaption>
            <Chart
              kind="bars"
              labels={(d.pipeline?.stages ?? []).map((s) => s.name)}
              series={[
                {
                  label: 'Deals',
                  values: (d.pipeline?.stages ?? []).map((s) => s.totals.reduce((n, t) => n + t.deals, 0)),
                },
              ]}
              height={180}
            />
            <table class="sr-only">
              <caption>Open deals by stage</caption>
              <tbody>
                {(d.pipeline?.stages ?? []).map((s) => (
                  <tr key={s.stageId}>
                    <th scope="row">{s.name}</th>
                    <td>{s.totals.reduce((n, t) => n + t.deals, 0)} deals</td>
                    <td>{sumOf(s.totals) || money(0, 'USD')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        </div>
      )}
    </>
  );
}

export default island('LiveDashboard', LiveDashboard);
