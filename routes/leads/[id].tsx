import ActivityTimeline from '../../islands/ActivityTimeline.tsx';
import LogActivity from '../../islands/LogActivity.tsx';
import type { Activity } from '../../web/activities.ts';
import type { ApiFailure } from '../../web/api.ts';
import { fieldError, formError } from '../../web/api.ts';
import { Alert, CsrfField, PageTitle, statusLabels } from '../../web/components/ui.tsx';
import { displayOf, formatDay } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Lead = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  source: string | null;
  country: string | null;
  status: string;
  score: number;
  scoreReasons: { points: number; reason: string }[];
  convertedAt: string | null;
  convertedDealId: string | null;
  createdAt: string;
};
type Data = {
  lead: Lead | null;
  activities: Activity[];
  notice?: string;
  error?: ApiFailure;
  convertError?: ApiFailure;
  deal: { name: string; amount: string; currency: string };
};

const nameOf = (lead: Lead) => `${lead.firstName} ${lead.lastName}`.trim() || lead.email || 'Lead';

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  const id = ctx.params.id!;
  const [lead, activities] = await Promise.all([
    ctx.api<Lead>(`/api/v1/leads/${encodeURIComponent(id)}`),
    ctx.api<{ data: Activity[] }>(`/api/v1/activities?leadId=${encodeURIComponent(id)}&limit=50`),
  ]);
  if (!lead.ok) {
    const data = { lead: null, activities: [], error: lead.error, deal: { name: '', amount: '', currency: 'USD' } };
    return ctx.render(data, { title: 'Lead', status: lead.status });
  }
  const deal = { name: `${lead.data.company ?? nameOf(lead.data)} deal`, amount: '1000.00', currency: 'USD' };
  const data: Data = { lead: lead.data, activities: activities.ok ? activities.data.data : [], deal, ...extra };
  return ctx.render(data, { title: nameOf(lead.data), status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, ctx.url.searchParams.has('created') ? { notice: 'Lead created.' } : {}),
  async POST(ctx) {
    const form = await ctx.form();
    const id = encodeURIComponent(ctx.params.id!);
    const withDeal = form.get('withDeal') === 'on';
    const deal = {
      name: String(form.get('dealName') ?? '').trim(),
      amount: String(form.get('amount') ?? '').trim(),
      currency: String(form.get('currency') ?? '')
        .trim()
        .toUpperCase(),
    };
    const answer = await ctx.api<{ deal: { id: string } | null }>(`/api/v1/leads/${id}/convert`, {
      method: 'POST',
      body: withDeal ? { deal } : {},
    });
    if (!answer.ok) return load(ctx, { convertError: answer.error, deal }, answer.status);
    return ctx.redirect(answer.data.deal ? '/pipelines?converted=1' : `/leads/${id}`);
  },
};

function Detail(props: { label: string; value: string | null }) {
  return (
    <div>
      <dt class="text-xs font-medium uppercase text-slate-600">{props.label}</dt>
      <dd class="mt-0.5">{props.value || '—'}</dd>
    </div>
  );
}

export default function LeadPage({ data, csrf, me }: PageProps<Data>) {
  const { lead } = data;
  const display = displayOf(me);
  if (!lead) {
    return (
      <>
        <PageTitle>Lead</PageTitle>
        <Alert>{data.error?.message ?? 'This lead could not be loaded.'}</Alert>
      </>
    );
  }
  const canConvert = me?.permissions.includes('leads:update') && !lead.convertedAt;
  const convertFields = ['deal.name', 'deal.amount', 'deal.currency'];
  const convertError = data.convertError;
  return (
    <>
      <PageTitle>{nameOf(lead)}</PageTitle>
      {data.notice && <Alert tone="info">{data.notice}</Alert>}
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <section class="card lg:col-span-2" aria-labelledby="details-heading">
          <h2 id="details-heading" class="mb-3 font-semibold">
            Details
          </h2>
          <dl class="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <Detail label="Company" value={lead.company} />
            <Detail label="Job title" value={lead.title} />
            <Detail label="Email" value={lead.email} />
            <Detail label="Phone" value={lead.phone} />
            <Detail label="Source" value={lead.source} />
            <Detail label="Country" value={lead.country} />
            <Detail label="Status" value={statusLabels[lead.status] ?? lead.status} />
            <Detail label="Created" value={formatDay(lead.createdAt, display)} />
          </dl>
        </section>
        <section class="card" aria-labelledby="score-heading">
          <h2 id="score-heading" class="font-semibold">
            Score
          </h2>
          <p class="mt-1 text-4xl font-bold tabular-nums text-indigo-700" data-testid="lead-score">
            {lead.score}
            <span class="text-base font-normal text-slate-600"> / 100</span>
          </p>
          <ul class="mt-3 space-y-1 text-sm" aria-label="Why this score">
            {lead.scoreReasons.map((r) => (
              <li key={r.reason} class="flex justify-between gap-2">
                <span>{r.reason}</span>
                <span class="tabular-nums font-medium">{r.points > 0 ? `+${r.points}` : r.points}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <section class="card lg:col-span-2" aria-labelledby="activity-heading">
          <h2 id="activity-heading" class="mb-3 font-semibold">
            Activities
          </h2>
          {me?.permissions.includes('activities:create') && (
            <div class="mb-4 border-b border-slate-200 pb-4">
              <LogActivity subjectType="lead" subjectId={lead.id} />
            </div>
          )}
          <ActivityTimeline activities={data.activities} subjectType="lead" subjectId={lead.id} display={display} />
        </section>
        <section class="card" aria-labelledby="convert-heading">
          <h2 id="convert-heading" class="mb-3 font-semibold">
            Convert
          </h2>
          {lead.convertedAt ? (
            <p class="text-sm">
              Converted on {formatDay(lead.convertedAt, display)}.{' '}
              {lead.convertedDealId && (
                <a href={`/deals/${lead.convertedDealId}`} class="text-indigo-700 underline">
                  Open the deal
                </a>
              )}
            </p>
          ) : canConvert ? (
            <form method="post" class="space-y-3">
              <CsrfField csrf={csrf} />
              <input type="hidden" name="action" value="convert" />
              <p class="text-sm text-slate-700">Creates a contact (and company), and optionally a deal.</p>
              {formError(convertError, convertFields) && <Alert>{formError(convertError, convertFields)}</Alert>}
              <div class="flex items-center gap-2">
                <input id="with-deal" name="withDeal" type="checkbox" checked class="h-4 w-4" />
                <label for="with-deal" class="text-sm">
                  Open a deal
                </label>
              </div>
              {(
                [
                  ['dealName', 'deal.name', 'Deal name', data.deal.name],
                  ['amount', 'deal.amount', 'Amount', data.deal.amount],
                  ['currency', 'deal.currency', 'Currency', data.deal.currency],
                ] as const
              ).map(([name, path, label, value]) => (
                <div key={name}>
                  <label for={`convert-${name}`} class="label">
                    {label}
                  </label>
                  <input
                    id={`convert-${name}`}
                    name={name}
                    value={value}
                    class="input"
                    aria-invalid={fieldError(convertError, path) ? 'true' : undefined}
                    aria-describedby={fieldError(convertError, path) ? `convert-${name}-error` : undefined}
                  />
                  {fieldError(convertError, path) && (
                    <p id={`convert-${name}-error`} class="field-error">
                      {fieldError(convertError, path)}
                    </p>
                  )}
                </div>
              ))}
              <button type="submit" class="btn-primary w-full">
                Convert lead
              </button>
            </form>
          ) : (
            <p class="text-sm text-slate-600">You cannot convert leads.</p>
          )}
        </section>
      </div>
    </>
  );
}
