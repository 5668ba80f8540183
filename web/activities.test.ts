import { describe, expect, it } from 'vitest';
import {
  type Activity,
  activityFacts,
  activityInput,
  dayIn,
  emptyDraft,
  formatDuration,
  knownTimeZone,
  recordLinks,
  sectionOf,
  taskSections,
} from './activities.ts';

const base: Activity = {
  id: 'a1',
  type: 'note',
  subject: 'Hello',
  body: null,
  ownerId: null,
  leadId: null,
  contactId: null,
  companyId: null,
  dealId: null,
  dueAt: null,
  priority: null,
  done: null,
  completedAt: null,
  durationSeconds: null,
  outcome: null,
  startsAt: null,
  endsAt: null,
  attendees: null,
  emailDirection: null,
  emailFrom: null,
  emailTo: null,
  version: 1,
  createdAt: '2026-12-01T09:00:00.000Z',
};
const lead = { type: 'lead' as const, id: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b' };
// A fixed reading of datetime-local values, as if the browser were in UTC.
const utc = (local: string) => (Number.isNaN(Date.parse(`${local}Z`)) ? null : new Date(`${local}Z`).toISOString());

describe('activityInput', () => {
  it('sends a call with its duration in seconds, its outcome and the record link', () => {
    const draft = { ...emptyDraft('call'), subject: ' Intro call ', durationMinutes: '9.5', outcome: 'connected' };
    expect(activityInput(draft, lead, utc)).toEqual({
      ok: true,
      body: { type: 'call', leadId: lead.id, subject: 'Intro call', durationSeconds: 570, outcome: 'connected' },
    });
  });

  it('answers a duration that is no number as an issue on durationSeconds', () => {
    const draft = { ...emptyDraft('call'), subject: 'x', durationMinutes: 'ten' };
    expect(activityInput(draft, lead, utc)).toEqual({
      ok: false,
      issues: [{ path: 'durationSeconds', message: 'Enter the duration in minutes' }],
    });
  });

  it('lets a note go without a subject, and leaves an empty body for the API to refuse', () => {
    expect(activityInput({ ...emptyDraft('note'), body: 'Wants a demo' }, { type: 'deal', id: 'd' }, utc)).toEqual({
      ok: true,
      body: { type: 'note', dealId: 'd', body: 'Wants a demo' },
    });
    const empty = activityInput(emptyDraft('note'), lead, utc);
    expect(empty.ok && empty.body.body).toBe('');
  });

  it('sends a meeting with instants and a list of attendees', () => {
    const draft = {
      ...emptyDraft('meeting'),
      subject: 'Demo',
      startsAt: '2026-12-01T14:00',
      endsAt: '2026-12-01T15:00',
      attendees: 'a@x.example, b@x.example;c@x.example',
    };
    const result = activityInput(draft, { type: 'company', id: 'c' }, utc);
    expect(result).toEqual({
      ok: true,
      body: {
        type: 'meeting',
        companyId: 'c',
        subject: 'Demo',
        startsAt: '2026-12-01T14:00:00.000Z',
        endsAt: '2026-12-01T15:00:00.000Z',
        attendees: ['a@x.example', 'b@x.example', 'c@x.example'],
      },
    });
  });

  it('sends a task with its due time and priority, and an email with its direction and addresses', () => {
    const task = { ...emptyDraft('task'), subject: 'Send quote', dueAt: '2026-12-02T09:30', priority: 'high' };
    expect(activityInput(task, { type: 'contact', id: 'p' }, utc)).toEqual({
      ok: true,
      body: {
        type: 'task',
        contactId: 'p',
        subject: 'Send quote',
        dueAt: '2026-12-02T09:30:00.000Z',
        priority: 'high',
      },
    });
    const email = { ...emptyDraft('email'), subject: 'Quote', emailFrom: 'me@x.example ', emailTo: 'you@y.example' };
    expect(activityInput(email, lead, utc)).toEqual({
      ok: true,
      body: {
        type: 'email',
        leadId: lead.id,
        subject: 'Quote',
        emailDirection: 'outbound',
        emailFrom: 'me@x.example',
        emailTo: ['you@y.example'],
      },
    });
  });
});

describe('taskSections', () => {
  const task = (id: string) => ({ ...base, id, type: 'task' as const });
  it('shows each task once: today first, then overdue before today, then the rest of the open ones', () => {
    const sections = taskSections({
      today: [task('t1'), task('t2')],
      overdue: [task('o1'), task('t1')],
      open: [task('o1'), task('t1'), task('u1'), task('u2')],
    });
    expect(sections.today.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(sections.overdue.map((t) => t.id)).toEqual(['o1']);
    expect(sections.upcoming.map((t) => t.id)).toEqual(['u1', 'u2']);
  });
});

describe('display helpers', () => {
  it('writes durations in words', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(540)).toBe('9 min');
    expect(formatDuration(5400)).toBe('1 h 30 min');
  });

  it('describes each type by its own facts', () => {
    const call = { ...base, type: 'call' as const, durationSeconds: 600, outcome: 'voicemail' };
    expect(activityFacts(call)).toEqual(['10 min', 'Left a voicemail']);
    const task = { ...base, type: 'task' as const, dueAt: '2026-12-01T09:00:00.000Z', priority: 'high' as const };
    expect(activityFacts({ ...task, done: true })).toEqual(['due 2026-12-01 09:00', 'High priority', 'done']);
    // In the reader's zone and date format.
    expect(activityFacts(task, { timeZone: 'Asia/Tokyo', dateFormat: 'DD.MM.YYYY' })[0]).toBe('due 01.12.2026 18:00');
    const email = { ...base, type: 'email' as const, emailDirection: 'inbound' as const, emailFrom: 'a@b.example' };
    expect(activityFacts(email)).toEqual(['from a@b.example']);
    expect(activityFacts(base)).toEqual([]);
  });

  it('links an activity to the page of every record it belongs to', () => {
    expect(recordLinks({ ...base, leadId: 'l', dealId: 'd' })).toEqual([
      { type: 'lead', id: 'l', href: '/leads/l' },
      { type: 'deal', id: 'd', href: '/deals/d' },
    ]);
  });

  it('accepts only time zones the runtime knows', () => {
    expect(knownTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(knownTimeZone('Mars/Olympus')).toBeNull();
    expect(knownTimeZone(undefined)).toBeNull();
  });
});

describe('task placement', () => {
  const task = (dueAt: string | null) => ({ ...base, type: 'task' as const, dueAt });
  const now = new Date('2026-12-01T22:30:00.000Z');
  it('puts a task under today, overdue or upcoming by the day it is due in the zone', () => {
    expect(sectionOf(task('2026-12-01T08:00:00.000Z'), now, 'UTC')).toBe('today');
    expect(sectionOf(task('2026-11-30T08:00:00.000Z'), now, 'UTC')).toBe('overdue');
    expect(sectionOf(task('2026-12-02T08:00:00.000Z'), now, 'UTC')).toBe('upcoming');
    expect(sectionOf(task(null), now, 'UTC')).toBe('upcoming');
    // 22:30 UTC is already 2 December in Tokyo: a task due then at 09:00 is today's there.
    expect(sectionOf(task('2026-12-02T00:00:00.000Z'), now, 'Asia/Tokyo')).toBe('today');
    expect(dayIn(now, 'Asia/Tokyo')).toBe('2026-12-02');
  });
});
