import type { ComponentChildren } from 'preact';
import { type Display, defaultDisplay, formatDay, formatMinute } from '../display.ts';
import { Detail, lifecycleLabels, personName } from './records.tsx';

/** The parts of GET /api/v1/contacts/{id}/360 the page shows, and the emails sent to the contact. */
export type Contact = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  lifecycleStage: string;
  companyId: string | null;
  ownerId: string | null;
  leadId: string | null;
  marketingEmailConsent: boolean;
  consentSource: string | null;
  consentGivenAt: string | null;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
};
export type DealSummary = {
  id: string;
  name: string;
  amount: string;
  currency: string;
  stage: { name: string; probability: number };
  status: string;
  expectedCloseDate: string | null;
};
export type ActivitySummary = {
  id: string;
  type: string;
  subject: string;
  dueAt: string | null;
  done: boolean;
  createdAt: string;
};
type AuditEntry = { id: string; action: string; actorType: string; actorId: string | null; createdAt: string };
type Lead = { id: string; firstName: string; lastName: string; email: string | null; status: string; score: number };
export type View360 = {
  contact: Contact;
  company: { id: string; name: string; domain: string | null } | null;
  openDeals: DealSummary[];
  recentActivities: ActivitySummary[];
  leadHistory: { lead: Lead | null; auditEntries: AuditEntry[] };
  owner: { id: string; name: string; email: string } | null;
};
export type Email = {
  id: string;
  subject: string;
  status: string;
  activityId: string | null;
  createdAt: string;
  sentAt: string | null;
};

type TimelineItem = { id: string; at: string; kind: string; title: string; detail: string | null };

/**
 * Activities and emails as one timeline, newest first. Sending an email logs an `email` activity, so an email
 * with its activity on the timeline adds its delivery status to that entry instead of appearing twice.
 */
export function timeline(
  activities: ActivitySummary[],
  emails: Email[],
  display: Display = defaultDisplay,
): TimelineItem[] {
  const byActivity = new Map(emails.flatMap((e) => (e.activityId ? [[e.activityId, e] as const] : [])));
  const items: TimelineItem[] = activities.map((a) => {
    const email = byActivity.get(a.id);
    const state = email
      ? `Email ${email.status}`
      : a.type === 'task' || a.type === 'call' || a.type === 'meeting'
        ? [a.done ? 'Done' : 'Open', a.dueAt ? `due ${formatMinute(a.dueAt, display)}` : ''].filter(Boolean).join(', ')
        : null;
    return { id: a.id, at: a.createdAt, kind: a.type, title: a.subject, detail: state };
  });
  const shown = new Set(activities.map((a) => a.id));
  for (const e of emails) {
    if (e.activityId && shown.has(e.activityId)) continue;
    items.push({ id: e.id, at: e.sentAt ?? e.createdAt, kind: 'email', title: e.subject, detail: `Email ${e.status}` });
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export const money = (d: { amount: string; currency: string }) => {
  const amount = Number(d.amount);
  return Number.isFinite(amount)
    ? `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${d.currency}`
    : `${d.amount} ${d.currency}`;
};

export function PersonCard(props: { view: View360; display: Display }) {
  const { contact, company, owner } = props.view;
  return (
    <section class="card lg:col-span-2" aria-labelledby="person-heading">
      <h2 id="person-heading" class="mb-3 font-semibold">
        Person
      </h2>
      <dl class="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Detail label="Email" value={contact.email} />
        <Detail label="Phone" value={contact.phone} />
        <Detail label="Job title" value={contact.title} />
        <Detail label="Lifecycle stage" value={lifecycleLabels[contact.lifecycleStage] ?? contact.lifecycleStage} />
        <Detail label="Company">
          {company ? (
            <a href={`/companies/${company.id}`} class="text-indigo-700 underline">
              {company.name}
            </a>
          ) : (
            '—'
          )}
        </Detail>
        <Detail label="Owner" value={owner ? owner.name || owner.email : null} />
        <Detail label="Tags" value={contact.tags.join(', ')} />
        <Detail label="Created" value={formatDay(contact.createdAt, props.display)} />
      </dl>
    </section>
  );
}

export function ConsentCard(props: { contact: Contact; display: Display }) {
  const { contact } = props;
  return (
    <section class="card" aria-labelledby="consent-heading">
      <h2 id="consent-heading" class="mb-2 font-semibold">
        Consent
      </h2>
      <p class="text-sm" data-testid="consent">
        {contact.marketingEmailConsent ? (
          <>
            <span class="font-medium text-emerald-800">Marketing email: agreed</span>
            {contact.consentGivenAt && <> on {formatMinute(contact.consentGivenAt, props.display)}</>}
            {contact.consentSource && <> via {contact.consentSource}</>}.
          </>
        ) : (
          <span class="font-medium">Marketing email: not agreed</span>
        )}
      </p>
      <p class="mt-2 text-xs text-slate-600">Every change of consent is kept in the audit log with how it was made.</p>
    </section>
  );
}

export function DealsCard(props: { deals: DealSummary[] }) {
  return (
    <section class="card" aria-labelledby="deals-heading">
      <h2 id="deals-heading" class="mb-3 font-semibold">
        Open deals
      </h2>
      {props.deals.length === 0 ? (
        <p class="text-sm text-slate-600">No open deals.</p>
      ) : (
        <ul class="space-y-2">
          {props.deals.map((d) => (
            <li key={d.id} class="text-sm">
              <a href={`/deals/${d.id}`} class="font-medium text-indigo-700 underline">
                {d.name}
              </a>
              <p class="text-slate-700">
                {money(d)} · {d.stage.name} ({d.stage.probability}%)
                {d.expectedCloseDate && <> · closes {d.expectedCloseDate}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function TimelineCard(props: { items: TimelineItem[]; display: Display; children?: ComponentChildren }) {
  return (
    <section class="card lg:col-span-2" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" class="mb-3 font-semibold">
        Timeline
      </h2>
      {props.children}
      {props.items.length === 0 ? (
        <p class="text-sm text-slate-600">No activities or emails yet.</p>
      ) : (
        <ol class="space-y-3" aria-label="Activities and emails, newest first">
          {props.items.map((item) => (
            <li key={item.id} class="border-l-2 border-indigo-200 pl-3">
              <p class="text-sm">
                <span class="font-medium capitalize">{item.kind}</span> · {item.title || '(no subject)'}
              </p>
              {item.detail && <p class="text-sm text-slate-700">{item.detail}</p>}
              <p class="text-xs text-slate-600">{formatMinute(item.at, props.display)}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function LeadHistoryCard(props: {
  history: View360['leadHistory'];
  actors: Record<string, string>;
  display: Display;
}) {
  const { lead, auditEntries } = props.history;
  return (
    <section class="card" aria-labelledby="lead-history-heading">
      <h2 id="lead-history-heading" class="mb-3 font-semibold">
        Lead history
      </h2>
      {!lead && auditEntries.length === 0 ? (
        <p class="text-sm text-slate-600">Not converted from a lead.</p>
      ) : (
        <>
          {lead && (
            <p class="mb-2 text-sm">
              From lead{' '}
              <a href={`/leads/${lead.id}`} class="font-medium text-indigo-700 underline">
                {personName(lead)}
              </a>{' '}
              (score {lead.score})
            </p>
          )}
          <ol class="space-y-1 text-sm" aria-label="What happened to the lead, oldest first">
            {auditEntries.map((entry) => (
              <li key={entry.id}>
                <span class="font-medium">{entry.action.replace(/^lead\./, '').replace(/_/g, ' ')}</span>
                {' · '}
                {entry.actorId ? (props.actors[entry.actorId] ?? entry.actorType) : entry.actorType}
                {' · '}
                <span class="text-slate-600">{formatDay(entry.createdAt, props.display)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
