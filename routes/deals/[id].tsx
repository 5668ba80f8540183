import type { ComponentChildren } from 'preact';
import ActivityTimeline from '../../islands/ActivityTimeline.tsx';
import LogActivity from '../../islands/LogActivity.tsx';
import type { Activity } from '../../web/activities.ts';
import { type ApiFailure, fieldError } from '../../web/api.ts';
import { Alert, CsrfField, PageTitle } from '../../web/components/ui.tsx';
import { formatMoney, formatSpan, secondsSince } from '../../web/deals.ts';
import { displayOf, formatDay, formatMinute } from '../../web/display.ts';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Deal = {
  id: string;
  name: string;
  amount: string;
  currency: string;
  expectedCloseDate: string | null;
  pipelineId: string;
  stageId: string;
  stageEnteredAt: string;
  status: 'open' | 'won' | 'lost';
  closedAt: string | null;
  closeReason: string | null;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  tags: string[];
  version: number;
};
type Stage = { id: string; name: string; kind: string; probability: number };
type StageChange = {
  id: string;
  fromStageName: string | null;
  toStageName: string | null;
  changedBy: string | null;
  changedAt: string;
  secondsInPreviousStage: number | null;
};
type Link = { id: string; name: string } | null;
type Data = {
  deal: Deal | null;
  pipeline: { name: string; stages: Stage[] } | null;
  changes: StageChange[];
  activities: Activity[];
  people: Record<string, string>;
  contact: Link;
  company: Link;
  now: string;
  notice?: string;
  error?: ApiFailure;
  closeError?: { outcome: 'won' | 'lost'; error: ApiFailure; reason: string };
};

const empty = (error: ApiFailure): Data => ({
  deal: null,
  pipeline: null,
  changes: [],
  activities: [],
  people: {},
  contact: null,
  company: null,
  now: new Date().toISOString(),
  error,
});

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  const id = encodeURIComponent(ctx.params.id!);
  const deal = await ctx.api<Deal>(`/api/v1/deals/${id}`);
  if (!deal.ok) return ctx.render(empty(deal.error), { title: 'Deal', status: deal.status });
  const d = deal.data;
  const [pipeline, changes, activities, users, contact, company] = await Promise.all([
    ctx.api<{ name: string; stages: Stage[] }>(`/api/v1/pipelines/${d.pipelineId}`),
    ctx.api<{ data: StageChange[] }>(`/api/v1/deals/${id}/stage-changes?limit=200`),
    ctx.api<{ data: Activity[] }>(`/api/v1/activities?dealId=${id}&limit=50`),
    ctx.api<{ data: { id: string; name: string; email: string }[] }>('/api/v1/users'),
    d.contactId
      ? ctx.api<{ id: string; firstName: string; lastName: string; email: string | null }>(
          `/api/v1/contacts/${d.contactId}`,
        )
      : null,
    d.companyId ? ctx.api<{ id: string; name: string }>(`/api/v1/companies/${d.companyId}`) : null,
  ]);
  const people = Object.fromEntries(users.ok ? users.data.data.map((u) => [u.id, u.name || u.email]) : []);
  const data: Data = {
    deal: d,
    pipeline: pipeline.ok
      ? {
          name: pipeline.data.name,
          stages: pipeline.data.stages.map((s) => ({
            id: s.id,
            name: s.name,
            kind: s.kind,
            probability: s.probability,
          })),
        }
      : null,
    changes: changes.ok ? changes.data.data : [],
    activities: activities.ok ? activities.data.data : [],
    people,
    contact: contact?.ok
      ? {
          id: contact.data.id,
          name: `${contact.data.firstName} ${contact.data.lastName}`.trim() || contact.data.email || 'Contact',
        }
      : null,
    company: company?.ok ? { id: company.data.id, name: company.data.name } : null,
    now: new Date().toISOString(),
    ...extra,
  };
  // A part that failed to load is said, not silently left empty.
  const failed = [pipeline, changes, activities].find((r) => !r.ok);
  if (failed && !failed.ok && !data.error) data.error = failed.error;
  return ctx.render(data, { title: d.name, status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => {
    const closed = ctx.url.searchParams.get('closed');
    return load(ctx, closed === 'won' || closed === 'lost' ? { notice: `Deal marked ${closed}.` } : {});
  },
  async POST(ctx) {
    const form = await ctx.form();
    const outcome = form.get('action') === 'lost' ? 'lost' : 'won';
    const reason = String(form.get('reason') ?? '').trim();
    const version = String(form.get('version') ?? '');
    const id = encodeURIComponent(ctx.params.id!);
    const answer = await ctx.api(`/api/v1/deals/${id}/${outcome}`, {
      method: 'POST',
      body: reason || outcome === 'lost' ? { reason } : {},
      headers: /^\d+$/.test(version) ? { 'if-match': `"v${version}"` } : {},
    });
    if (!answer.ok) return load(ctx, { closeError: { outcome, error: answer.error, reason } }, answer.status);
    return ctx.redirect(`/deals/${id}?closed=${outcome}`);
  },
};

function Detail(props: { label: string; children: ComponentChildren }) {
  return (
    <div>
      <dt class="text-xs font-medium uppercase text-slate-600">{props.label}</dt>
      <dd class="mt-0.5">{props.children}</dd>
    </div>
  );
}

const statusLabel = { open: 'Open', won: 'Won', lost: 'Lost' } as const;
const statusClass = {
  open: 'bg-sky-100 text-sky-900',
  won: 'bg-emerald-100 text-emerald-900',
  lost: 'bg-red-100 text-red-900',
} as const;

function CloseForm(props: { outcome: 'won' | 'lost'; deal: Deal; csrf: string; failed: Data['closeError'] }) {
  const { outcome } = props;
  const failed = props.failed?.outcome === outcome ? props.failed : undefined;
  const message = failed && (fieldError(failed.error, 'reason') ?? failed.error.message);
  const id = `${outcome}-reason`;
  return (
    <form method="post" class="space-y-2">
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="action" value={outcome} />
      <input type="hidden" name="version" value={String(props.deal.version)} />
      <label for={id} class="label">
        {outcome === 'won' ? 'Why it was won (optional)' : 'Why it was lost'}
      </label>
      <input
        id={id}
        name="reason"
        class="input"
        value={failed?.reason ?? ''}
        required={outcome === 'lost'}
        maxLength={1000}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
      />
      {message && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {message}
        </p>
      )}
      <button type="submit" class={outcome === 'won' ? 'btn-primary w-full' : 'btn-secondary w-full'}>
        {outcome === 'won' ? 'Mark won' : 'Mark lost'}
      </button>
    </form>
  );
}

export default function DealPage({ data, csrf, me }: PageProps<Data>) {
  const { deal } = data;
  const display = displayOf(me);
  if (!deal) {
    return (
      <>
        <PageTitle>Deal</PageTitle>
        <Alert>{data.error?.message ?? 'This deal could not be loaded.'}</Alert>
      </>
    );
  }
  const stage = data.pipeline?.stages.find((s) => s.id === deal.stageId);
  const who = (id: string | null) => (id ? (data.people[id] ?? 'Someone no longer listed') : 'Nobody');
  const canClose = me?.permissions.includes('deals:update') ?? false;
  return (
    <>
      <PageTitle
        actions={
          <a href={`/pipelines?pipeline=${deal.pipelineId}`} class="btn-secondary">
            Back to the board
          </a>
        }
      >
        {deal.name}
      </PageTitle>
      {data.notice && <Alert tone="info">{data.notice}</Alert>}
      {data.error && <Alert>{data.error.message}</Alert>}
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <section class="card lg:col-span-2" aria-labelledby="deal-details-heading">
          <h2 id="deal-details-heading" class="mb-3 font-semibold">
            Details
          </h2>
          <dl class="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <Detail label="Amount">
              <span data-testid="deal-amount">{formatMoney(deal.amount, deal.currency)}</span>
            </Detail>
            <Detail label="Status">
              <span
                class={`rounded px-2 py-0.5 text-sm font-medium ${statusClass[deal.status]}`}
                data-testid="deal-status"
              >
                {statusLabel[deal.status]}
              </span>
            </Detail>
            <Detail label="Stage">
              {stage?.name ?? '—'} {data.pipeline && <span class="text-slate-600">({data.pipeline.name})</span>}
            </Detail>
            <Detail label="Probability">{stage ? `${stage.probability}%` : '—'}</Detail>
            <Detail label="Expected close">{deal.expectedCloseDate ?? '—'}</Detail>
            <Detail label="Owner">{who(deal.ownerId)}</Detail>
            <Detail label="Contact">
              {data.contact ? (
                <a href={`/contacts/${data.contact.id}`} class="text-indigo-700 underline">
                  {data.contact.name}
                </a>
              ) : (
                '—'
              )}
            </Detail>
            <Detail label="Company">
              {data.company ? (
                <a href={`/companies/${data.company.id}`} class="text-indigo-700 underline">
                  {data.company.name}
                </a>
              ) : (
                '—'
              )}
            </Detail>
            {deal.closedAt && <Detail label="Closed">{formatDay(deal.closedAt, display)}</Detail>}
            {deal.closeReason && <Detail label="Reason">{deal.closeReason}</Detail>}
          </dl>
        </section>
        <section class="card" aria-labelledby="close-heading">
          <h2 id="close-heading" class="mb-3 font-semibold">
            Close the deal
          </h2>
          {!canClose ? (
            <p class="text-sm text-slate-600">You cannot change deals.</p>
          ) : (
            <div class="space-y-4">
              {deal.status !== 'won' && <CloseForm outcome="won" deal={deal} csrf={csrf} failed={data.closeError} />}
              {deal.status !== 'lost' && <CloseForm outcome="lost" deal={deal} csrf={csrf} failed={data.closeError} />}
            </div>
          )}
        </section>
      </div>
      <section class="card mt-4" aria-labelledby="history-heading">
        <h2 id="history-heading" class="mb-1 font-semibold">
          Stage history
        </h2>
        <p class="mb-3 text-sm text-slate-700">
          In {stage?.name ?? 'its stage'} for {formatSpan(secondsSince(deal.stageEnteredAt, Date.parse(data.now)))}.
        </p>
        {/* No sideways scrolling (which a keyboard could not reach): on a phone the cells wrap instead. */}
        <div>
          <table class="w-full divide-y divide-slate-200 text-sm">
            <caption class="sr-only">Every move of this deal, newest first</caption>
            <thead>
              <tr>
                {['When (UTC)', 'Who', 'From', 'To', 'Time in the stage it left'].map((h) => (
                  <th key={h} scope="col" class="px-2 py-2 text-left font-semibold sm:px-3">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="divide-y divide-slate-100" data-testid="stage-history">
              {data.changes.map((c) => (
                <tr key={c.id}>
                  <td class="px-2 py-2 sm:px-3">{formatMinute(c.changedAt, display)}</td>
                  <td class="px-2 py-2 sm:px-3">{who(c.changedBy)}</td>
                  <td class="px-2 py-2 sm:px-3">{c.fromStageName ?? '—'}</td>
                  <td class="px-2 py-2 sm:px-3">{c.toStageName ?? '(a deleted stage)'}</td>
                  <td class="px-2 py-2 sm:px-3">{formatSpan(c.secondsInPreviousStage)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card mt-4" aria-labelledby="deal-activity-heading">
        <h2 id="deal-activity-heading" class="mb-3 font-semibold">
          Activities
        </h2>
        {me?.permissions.includes('activities:create') && (
          <div class="mb-4 border-b border-slate-200 pb-4">
            <LogActivity subjectType="deal" subjectId={deal.id} />
          </div>
        )}
        <ActivityTimeline activities={data.activities} subjectType="deal" subjectId={deal.id} display={display} />
      </section>
    </>
  );
}
