/**
 * Activities as the web app shows and writes them: plain functions shared by the pages and islands (the timeline,
 * "log an activity", my tasks), free of Preact so they are unit-tested alone.
 */

import { type Display, defaultDisplay, formatWhen } from './display.ts';

export const activityKinds = ['call', 'meeting', 'note', 'task', 'email'] as const;
export type ActivityKind = (typeof activityKinds)[number];
export const subjectTypes = ['lead', 'contact', 'company', 'deal'] as const;
export type SubjectType = (typeof subjectTypes)[number];

export type Activity = {
  id: string;
  type: ActivityKind;
  subject: string;
  body: string | null;
  ownerId: string | null;
  leadId: string | null;
  contactId: string | null;
  companyId: string | null;
  dealId: string | null;
  dueAt: string | null;
  priority: 'low' | 'normal' | 'high' | null;
  done: boolean | null;
  completedAt: string | null;
  durationSeconds: number | null;
  outcome: string | null;
  startsAt: string | null;
  endsAt: string | null;
  attendees: string[] | null;
  emailDirection: 'inbound' | 'outbound' | null;
  emailFrom: string | null;
  emailTo: string[] | null;
  version: number;
  createdAt: string;
};

/** The event LogActivity sends when it saved an activity; a timeline of the same record takes it (preventDefault). */
export const activityLoggedEvent = 'crm:activity-logged';
export type ActivityLoggedDetail = { activity: Activity; subjectType: SubjectType; subjectId: string };

export const kindLabels: Record<ActivityKind, string> = {
  call: 'Call',
  meeting: 'Meeting',
  note: 'Note',
  task: 'Task',
  email: 'Email',
};

export const outcomeLabels: Record<string, string> = {
  connected: 'Connected',
  no_answer: 'No answer',
  voicemail: 'Left a voicemail',
  busy: 'Busy',
  wrong_number: 'Wrong number',
};

export const priorityLabels: Record<string, string> = { low: 'Low', normal: 'Normal', high: 'High' };

/** The API's link field for a record type: a lead's activities carry `leadId`, and so on. */
export const linkField = (type: SubjectType) => `${type}Id` as 'leadId' | 'contactId' | 'companyId' | 'dealId';

const pathOf: Record<SubjectType, string> = {
  lead: '/leads',
  contact: '/contacts',
  company: '/companies',
  deal: '/deals',
};

/** Every record an activity is linked to, as the page that shows it. */
export function recordLinks(a: Activity): { type: SubjectType; id: string; href: string }[] {
  return subjectTypes.flatMap((type) => {
    const id = a[linkField(type)];
    return id ? [{ type, id, href: `${pathOf[type]}/${id}` }] : [];
  });
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The one-line facts a timeline shows under an activity's subject, by its type. */
export function activityFacts(a: Activity, display: Display = defaultDisplay): string[] {
  switch (a.type) {
    case 'call':
      return [formatDuration(a.durationSeconds), a.outcome ? (outcomeLabels[a.outcome] ?? a.outcome) : ''].filter(
        Boolean,
      );
    case 'meeting':
      return [
        a.startsAt ? `${formatWhen(a.startsAt, display)} – ${formatWhen(a.endsAt, display)}` : '',
        a.attendees?.length ? `with ${a.attendees.join(', ')}` : '',
      ].filter(Boolean);
    case 'task':
      return [
        a.dueAt ? `due ${formatWhen(a.dueAt, display)}` : 'no due date',
        `${priorityLabels[a.priority ?? 'normal']} priority`,
        a.done ? 'done' : 'open',
      ];
    case 'email': {
      const other = a.emailDirection === 'inbound' ? a.emailFrom : (a.emailTo ?? []).join(', ');
      return other ? [`${a.emailDirection === 'inbound' ? 'from' : 'to'} ${other}`] : [];
    }
    default:
      return [];
  }
}

/** What the "log an activity" form holds: strings, as inputs give them. */
export type ActivityDraft = {
  kind: ActivityKind;
  subject: string;
  body: string;
  durationMinutes: string;
  outcome: string;
  startsAt: string;
  endsAt: string;
  attendees: string;
  dueAt: string;
  priority: string;
  emailDirection: string;
  emailFrom: string;
  emailTo: string;
};

export const emptyDraft = (kind: ActivityKind = 'call'): ActivityDraft => ({
  kind,
  subject: '',
  body: '',
  durationMinutes: '',
  outcome: '',
  startsAt: '',
  endsAt: '',
  attendees: '',
  dueAt: '',
  priority: 'normal',
  emailDirection: 'outbound',
  emailFrom: '',
  emailTo: '',
});

const list = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A `datetime-local` value (the browser's wall clock, no zone) as an instant. `toInstant` is given so the browser
 * reads it in its own zone; a value it cannot read goes to the API as is, which names the field.
 */
function instant(value: string, toInstant: (local: string) => string | null): string | undefined {
  if (!value.trim()) return undefined;
  return toInstant(value) ?? value;
}

export const browserInstant = (local: string): string | null => {
  const t = new Date(local).getTime();
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/**
 * The API body for a draft: only the fields of its type, the record link, and numbers and lists in the API's
 * shapes. What cannot be converted (a duration that is no number) is answered as a field issue here, named as the
 * API would name it, so it shows next to the same input.
 */
export function activityInput(
  draft: ActivityDraft,
  subject: { type: SubjectType; id: string },
  toInstant: (local: string) => string | null = browserInstant,
): { ok: true; body: Record<string, unknown> } | { ok: false; issues: { path: string; message: string }[] } {
  const body: Record<string, unknown> = { type: draft.kind, [linkField(subject.type)]: subject.id };
  const text = draft.subject.trim();
  if (text || draft.kind !== 'note') body.subject = text;
  if (draft.body.trim()) body.body = draft.body.trim();
  else if (draft.kind === 'note') body.body = '';
  switch (draft.kind) {
    case 'call': {
      const minutes = draft.durationMinutes.trim();
      if (minutes) {
        const value = Number(minutes);
        if (!Number.isFinite(value) || value < 0) {
          return { ok: false, issues: [{ path: 'durationSeconds', message: 'Enter the duration in minutes' }] };
        }
        body.durationSeconds = Math.round(value * 60);
      }
      if (draft.outcome) body.outcome = draft.outcome;
      break;
    }
    case 'meeting':
      body.startsAt = instant(draft.startsAt, toInstant);
      body.endsAt = instant(draft.endsAt, toInstant);
      body.attendees = list(draft.attendees);
      break;
    case 'task':
      if (draft.dueAt.trim()) body.dueAt = instant(draft.dueAt, toInstant);
      body.priority = draft.priority || 'normal';
      break;
    case 'email':
      body.emailDirection = draft.emailDirection || 'outbound';
      body.emailFrom = draft.emailFrom.trim();
      body.emailTo = list(draft.emailTo);
      break;
  }
  return { ok: true, body };
}

/**
 * The three task lists of "My tasks" from the API's views: today (due today, done or not), overdue (open and due
 * before today; a task overdue since this morning is shown under today only) and upcoming (open, due after today
 * or without a due time), each task once.
 */
export function taskSections(views: { today: Activity[]; overdue: Activity[]; open: Activity[] }) {
  const todayIds = new Set(views.today.map((t) => t.id));
  const overdue = views.overdue.filter((t) => !todayIds.has(t.id));
  const overdueIds = new Set(overdue.map((t) => t.id));
  const upcoming = views.open.filter((t) => !todayIds.has(t.id) && !overdueIds.has(t.id));
  return { today: views.today, overdue, upcoming };
}

/** Whether a string is a time zone this runtime knows (a cookie or query may carry anything). */
export function knownTimeZone(zone: string | null | undefined): string | null {
  if (!zone || zone.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function dayIn(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    typeof iso === 'string' ? new Date(iso) : iso,
  );
}

/** Where a task belongs in "My tasks" at `now` in `timeZone`, by the same rules as the API's views. */
export function sectionOf(task: Activity, now: Date, timeZone: string): 'today' | 'overdue' | 'upcoming' {
  if (!task.dueAt) return 'upcoming';
  if (dayIn(task.dueAt, timeZone) === dayIn(now, timeZone)) return 'today';
  return Date.parse(task.dueAt) < now.getTime() ? 'overdue' : 'upcoming';
}
