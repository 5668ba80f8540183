import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, insertRecord, newActivity, newLead, type Session, trail } from './fixtures.ts';

let stack: TestStack;
let api: Api;
let org: Session;
let leadId: string;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  org = await api.signup('activities');
  leadId = await newLead(api, org.token);
});
afterAll(() => stack?.stop());

const create = (body: Record<string, unknown>, token = org.token) =>
  api.call('POST', '/api/v1/activities', { token, body });
const patch = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.call('PATCH', `/api/v1/activities/${id}`, { token: org.token, body, headers });
const paths = (reply: { data: any }) => (reply.data.error.details as { path: string }[]).map((d) => d.path);

const nullTaskFields = { dueAt: null, priority: null, done: null, completedAt: null };
const nullCallFields = { durationSeconds: null, outcome: null };
const nullMeetingFields = { startsAt: null, endsAt: null, attendees: null };
const nullEmailFields = { emailDirection: null, emailFrom: null, emailTo: null };

describe('activities through the edge', () => {
  it('creates, reads, lists, changes and deletes a task, with ETags, audit rows and events', async () => {
    const made = await create({ type: 'task', subject: ' Send the proposal ', dueAt: '2030-01-02T09:00:00Z', leadId });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({
      type: 'task',
      subject: 'Send the proposal',
      body: null,
      ownerId: org.user.id,
      createdBy: org.user.id,
      leadId,
      contactId: null,
      companyId: null,
      dealId: null,
      dueAt: '2030-01-02T09:00:00.000Z',
      priority: 'normal',
      done: false,
      completedAt: null,
      version: 1,
      ...nullCallFields,
      ...nullMeetingFields,
      ...nullEmailFields,
    });
    expect(made.headers.get('etag')).toBe('"v1"');
    expect(made.headers.get('location')).toBe(`/api/v1/activities/${made.data.id}`);
    const { id } = made.data;

    const one = await api.call('GET', `/api/v1/activities/${id}`, { token: org.token });
    expect(one.status).toBe(200);
    expect(one.data).toEqual(made.data);
    expect(one.headers.get('etag')).toBe('"v1"');
    const notModified = await api.call('GET', `/api/v1/activities/${id}`, {
      token: org.token,
      headers: { 'if-none-match': '"v1"' },
    });
    expect(notModified.status).toBe(304);

    const listed = await api.call('GET', '/api/v1/activities', { token: org.token });
    expect(listed.status).toBe(200);
    expect(listed.data.data.map((a: { id: string }) => a.id)).toContain(id);

    const edited = await patch(id, { priority: 'high', body: 'Three-year option too' }, { 'if-match': '"v1"' });
    expect(edited.status, JSON.stringify(edited.data)).toBe(200);
    expect(edited.data).toMatchObject({ priority: 'high', body: 'Three-year option too', version: 2 });
    expect(edited.headers.get('etag')).toBe('"v2"');
    expect((await api.call('GET', `/api/v1/activities/${id}`, { token: org.token })).data.version).toBe(2);

    // Sending what is already there changes nothing: no new version, no audit row.
    const same = await patch(id, { priority: 'high' });
    expect(same.data.version).toBe(2);

    expectError(await patch(id, { priority: 'low' }, { 'if-match': '"v1"' }), 412, 'precondition_failed');
    expectError(
      await api.call('DELETE', `/api/v1/activities/${id}`, { token: org.token, headers: { 'if-match': '"v1"' } }),
      412,
      'precondition_failed',
    );
    const deleted = await api.call('DELETE', `/api/v1/activities/${id}`, {
      token: org.token,
      headers: { 'if-match': '"v2"' },
    });
    expect(deleted.status).toBe(204);
    expectError(await api.call('GET', `/api/v1/activities/${id}`, { token: org.token }), 404, 'not_found');
    expectError(await patch(id, { priority: 'low' }), 404, 'not_found');
    expectError(await api.call('DELETE', `/api/v1/activities/${id}`, { token: org.token }), 404, 'not_found');

    const { events, audit } = await trail(stack, org, id);
    expect(audit).toEqual(['activity.created', 'activity.updated', 'activity.deleted']);
    expect(events.map((e) => e.type)).toEqual(['activity.created', 'activity.updated', 'activity.deleted']);
    expect(events[0]!.payload).toMatchObject({ id, subject: 'Send the proposal' });
    expect(events[1]!.payload).toMatchObject({ changes: { priority: ['normal', 'high'] } });
  });

  it('answers 404 for an id that is no activity and 400 for one that is no UUID', async () => {
    expectError(
      await api.call('GET', '/api/v1/activities/0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b', { token: org.token }),
      404,
      'not_found',
    );
    expectError(await api.call('GET', '/api/v1/activities/nope', { token: org.token }), 400, 'validation_failed');
  });
});

describe("each type's fields", () => {
  it('task: dueAt, priority and done, and nothing of the other types', async () => {
    const task = await newActivity(api, org.token, {
      type: 'task',
      subject: 'Call back',
      priority: 'low',
      dueAt: '2030-03-01T10:00:00+02:00',
      leadId,
    });
    expect(task).toMatchObject({ priority: 'low', dueAt: '2030-03-01T08:00:00.000Z', done: false });
    for (const foreign of [
      { durationSeconds: 60 },
      { outcome: 'connected' },
      { startsAt: '2030-01-01T10:00:00Z' },
      { attendees: ['a@x.example'] },
      { emailTo: ['a@x.example'] },
      { emailDirection: 'inbound' },
    ]) {
      const reply = await create({ type: 'task', subject: 'X', leadId, ...foreign });
      expectError(reply, 400, 'validation_failed', JSON.stringify(foreign));
      expect(paths(reply)).toEqual(Object.keys(foreign));
      expectError(await patch(task.id, foreign), 400, 'validation_failed', `patch ${JSON.stringify(foreign)}`);
    }
    for (const bad of [
      { priority: 'urgent' },
      { dueAt: '2030-03-01' },
      { dueAt: '2030-03-01T10:00:00' },
      // Dates PostgreSQL cannot store are the client's mistake, not a 500.
      { dueAt: '0000-01-01T00:00:00Z' },
      { dueAt: '9999-12-31T23:59:59-05:00' },
      { done: 'yes' },
      { subject: '' },
      { subject: '   ' },
      { subject: 'x'.repeat(301) },
      { body: 'x'.repeat(20_001) },
    ]) {
      const reply = await create({ type: 'task', subject: 'X', leadId, ...bad });
      expectError(reply, 400, 'validation_failed', JSON.stringify(bad));
      expect(paths(reply)).toEqual(Object.keys(bad));
    }
    expectError(await create({ type: 'task', leadId }), 400, 'validation_failed', 'no subject');
    const undated = await newActivity(api, org.token, { type: 'task', subject: 'Someday', leadId, dueAt: null });
    expect(undated.dueAt).toBeNull();
    const dated = await patch(undated.id, { dueAt: '2030-05-05T05:05:05.555Z' });
    expect(dated.data.dueAt).toBe('2030-05-05T05:05:05.555Z');
    expect((await patch(undated.id, { dueAt: null })).data.dueAt).toBeNull();
  });

  it('call: durationSeconds and outcome', async () => {
    const call = await newActivity(api, org.token, {
      type: 'call',
      subject: 'Discovery call',
      durationSeconds: 540,
      outcome: 'connected',
      leadId,
    });
    expect(call).toMatchObject({ type: 'call', durationSeconds: 540, outcome: 'connected', ...nullTaskFields });
    const bare = await newActivity(api, org.token, { type: 'call', subject: 'Tried', leadId });
    expect(bare).toMatchObject({ durationSeconds: null, outcome: null });
    for (const outcome of ['no_answer', 'voicemail', 'busy', 'wrong_number'])
      expect((await patch(bare.id, { outcome })).data.outcome).toBe(outcome);
    for (const bad of [
      { durationSeconds: -1 },
      { durationSeconds: 1.5 },
      { durationSeconds: 86_401 },
      { outcome: 'hung_up' },
      { dueAt: '2030-01-01T00:00:00Z' },
      { done: true },
      { priority: 'high' },
    ]) {
      const reply = await create({ type: 'call', subject: 'X', leadId, ...bad });
      expectError(reply, 400, 'validation_failed', JSON.stringify(bad));
      expect(paths(reply)).toEqual(Object.keys(bad));
    }
    const refused = await patch(call.id, { done: true, dueAt: '2030-01-01T00:00:00Z', outcome: 'busy' });
    expectError(refused, 400, 'validation_failed');
    expect(refused.data.error.details).toEqual([
      { path: 'dueAt', message: 'Not a field of call activities' },
      { path: 'done', message: 'Not a field of call activities' },
    ]);
    const reread = await api.call('GET', `/api/v1/activities/${call.id}`, { token: org.token });
    expect(reread.data).toMatchObject({ outcome: 'connected', version: 1 });
  });

  it('meeting: startsAt before endsAt, and attendees as email addresses', async () => {
    const meeting = await newActivity(api, org.token, {
      type: 'meeting',
      subject: 'Demo',
      startsAt: '2030-01-10T14:00:00Z',
      endsAt: '2030-01-10T15:00:00Z',
      attendees: ['Grace@Navy.example', 'ada@analytical.example', 'grace@navy.example'],
      leadId,
    });
    expect(meeting).toMatchObject({
      startsAt: '2030-01-10T14:00:00.000Z',
      endsAt: '2030-01-10T15:00:00.000Z',
      attendees: ['grace@navy.example', 'ada@analytical.example'],
      ...nullTaskFields,
    });
    const noAttendees = await newActivity(api, org.token, {
      type: 'meeting',
      subject: 'Alone',
      startsAt: '2030-01-10T14:00:00Z',
      endsAt: '2030-01-10T14:30:00Z',
      leadId,
    });
    expect(noAttendees.attendees).toEqual([]);

    const base = { type: 'meeting', subject: 'X', leadId };
    for (const [bad, path] of [
      [{ startsAt: '2030-01-10T15:00:00Z', endsAt: '2030-01-10T14:00:00Z' }, 'endsAt'],
      [{ startsAt: '2030-01-10T15:00:00Z', endsAt: '2030-01-10T15:00:00Z' }, 'endsAt'],
      // The same instant in other offsets is still not after it.
      [{ startsAt: '2030-01-10T15:00:00Z', endsAt: '2030-01-10T16:00:00+01:00' }, 'endsAt'],
      [{ endsAt: '2030-01-10T15:00:00Z' }, 'startsAt'],
      [{ startsAt: '2030-01-10T15:00:00Z' }, 'endsAt'],
      [{ startsAt: '0000-01-10T15:00:00Z', endsAt: '2030-01-10T15:00:00Z' }, 'startsAt'],
      [
        { startsAt: '2030-01-10T14:00:00Z', endsAt: '2030-01-10T15:00:00Z', attendees: ['not an email'] },
        'attendees.0',
      ],
      [{ startsAt: '2030-01-10T14:00:00Z', endsAt: '2030-01-10T15:00:00Z', attendees: 'a@x.example' }, 'attendees'],
      [{ startsAt: '2030-01-10T14:00:00Z', endsAt: '2030-01-10T15:00:00Z', dueAt: '2030-01-10T15:00:00Z' }, 'dueAt'],
    ] as const) {
      const reply = await create({ ...base, ...bad });
      expectError(reply, 400, 'validation_failed', JSON.stringify(bad));
      expect(paths(reply)).toContain(path);
    }
    // A change is checked against the stored times it keeps.
    const earlier = await patch(meeting.id, { endsAt: '2030-01-10T13:00:00Z' });
    expectError(earlier, 400, 'validation_failed');
    expect(paths(earlier)).toEqual(['endsAt']);
    expectError(await patch(meeting.id, { startsAt: '2030-01-10T15:30:00Z' }), 400, 'validation_failed');
    const moved = await patch(meeting.id, { startsAt: '2030-01-10T16:00:00Z', endsAt: '2030-01-10T17:00:00Z' });
    expect(moved.data).toMatchObject({ startsAt: '2030-01-10T16:00:00.000Z', endsAt: '2030-01-10T17:00:00.000Z' });
    expectError(await patch(meeting.id, { startsAt: null }), 400, 'validation_failed');
    expect((await patch(meeting.id, { attendees: ['B@x.example', 'b@x.example'] })).data.attendees).toEqual([
      'b@x.example',
    ]);
  });

  it("note: a body, and a subject taken from the body's first line unless given", async () => {
    const note = await newActivity(api, org.token, {
      type: 'note',
      body: '\n  Budget approved   for Q1.\nDecision by the end of January.',
      leadId,
    });
    expect(note).toMatchObject({
      type: 'note',
      subject: 'Budget approved for Q1.',
      body: 'Budget approved   for Q1.\nDecision by the end of January.',
      ...nullTaskFields,
      ...nullCallFields,
      ...nullMeetingFields,
      ...nullEmailFields,
    });
    const long = await newActivity(api, org.token, { type: 'note', body: `${'word '.repeat(40)}`, leadId });
    expect(long.subject.length).toBeLessThanOrEqual(80);
    expect(long.subject.endsWith('…')).toBe(true);
    const titled = await newActivity(api, org.token, { type: 'note', subject: 'Pricing', body: 'Details', leadId });
    expect(titled.subject).toBe('Pricing');

    for (const bad of [{}, { body: '' }, { body: '   ' }, { body: null }, { dueAt: '2030-01-01T00:00:00Z' }]) {
      expectError(await create({ type: 'note', leadId, ...bad }), 400, 'validation_failed', JSON.stringify(bad));
    }
    const cleared = await patch(note.id, { body: null });
    expectError(cleared, 400, 'validation_failed');
    expect(cleared.data.error.details).toEqual([{ path: 'body', message: 'A note needs a body' }]);
    expect((await patch(note.id, { body: 'Rewritten' })).data).toMatchObject({
      body: 'Rewritten',
      subject: 'Budget approved for Q1.',
    });
    expectError(await patch(note.id, { outcome: 'busy' }), 400, 'validation_failed');
  });

  it('email: direction, sender and recipients, normalised', async () => {
    const email = await newActivity(api, org.token, {
      type: 'email',
      subject: 'Re: pricing',
      body: 'The three-year option works for us.',
      emailDirection: 'inbound',
      emailFrom: 'Grace@Navy.example',
      emailTo: ['Ada@Analytical.example', 'ada@analytical.example', 'sales@analytical.example'],
      leadId,
    });
    expect(email).toMatchObject({
      emailDirection: 'inbound',
      emailFrom: 'grace@navy.example',
      emailTo: ['ada@analytical.example', 'sales@analytical.example'],
      ...nullTaskFields,
    });
    const base = {
      type: 'email',
      subject: 'X',
      emailDirection: 'outbound',
      emailFrom: 'a@x.example',
      emailTo: ['b@x.example'],
      leadId,
    };
    for (const [bad, path] of [
      [{ emailDirection: 'sideways' }, 'emailDirection'],
      [{ emailDirection: undefined }, 'emailDirection'],
      [{ emailFrom: 'nobody' }, 'emailFrom'],
      [{ emailFrom: undefined }, 'emailFrom'],
      [{ emailTo: [] }, 'emailTo'],
      [{ emailTo: undefined }, 'emailTo'],
      [{ emailTo: ['b@x.example', 'oops'] }, 'emailTo.1'],
      [{ emailTo: Array.from({ length: 101 }, (_, i) => `r${i}@x.example`) }, 'emailTo'],
      [{ subject: undefined }, 'subject'],
      [{ attendees: ['a@x.example'] }, 'attendees'],
    ] as const) {
      const reply = await create({ ...base, ...bad });
      expectError(reply, 400, 'validation_failed', JSON.stringify(bad));
      expect(paths(reply)).toContain(path);
    }
    expect((await patch(email.id, { emailDirection: 'outbound', emailTo: ['X@Y.example'] })).data).toMatchObject({
      emailDirection: 'outbound',
      emailTo: ['x@y.example'],
    });
    expectError(await patch(email.id, { emailTo: [] }), 400, 'validation_failed');
  });

  it('refuses an unknown or missing type, unknown fields, a type change and an empty change', async () => {
    for (const body of [
      { subject: 'X', leadId },
      { type: 'sms', subject: 'X', leadId },
      { type: 'TASK', subject: 'X', leadId },
      { type: null, subject: 'X', leadId },
    ]) {
      const reply = await create(body);
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
      expect(paths(reply)).toContain('type');
    }
    const unknown = await create({ type: 'task', subject: 'X', leadId, colour: 'red', tags: ['a'] });
    expectError(unknown, 400, 'validation_failed');
    expect(unknown.data.error.details).toEqual(
      expect.arrayContaining([
        { path: 'colour', message: 'Unknown field' },
        { path: 'tags', message: 'Unknown field' },
      ]),
    );
    const task = await newActivity(api, org.token, { type: 'task', subject: 'Keep', leadId });
    for (const body of [{}, { type: 'call' }, { colour: 'red' }, { id: task.id }, { version: 9 }]) {
      expectError(await patch(task.id, body), 400, 'validation_failed', JSON.stringify(body));
    }
    expectError(
      await api.call('POST', '/api/v1/activities', { token: org.token, raw: '{"type":' }),
      400,
      'invalid_json',
    );
    expectError(
      await api.call('POST', '/api/v1/activities', {
        token: org.token,
        raw: 'type=task',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    );
    expectError(await create({ type: 'note', body: 'NUL \u0000 inside', leadId }), 400, 'validation_failed');
  });

  it('needs at least one link, on create and after every change', async () => {
    const none = await create({ type: 'task', subject: 'Floating' });
    expectError(none, 400, 'validation_failed');
    expect(none.data.error.details).toEqual([
      { path: 'leadId', message: 'Link the activity to at least one lead, contact, company or deal' },
    ]);
    expectError(
      await create({ type: 'task', subject: 'Floating', leadId: null, dealId: null }),
      400,
      'validation_failed',
    );
    const companyId = await insertRecord(stack, org, 'company');
    const task = await newActivity(api, org.token, { type: 'task', subject: 'Two links', leadId, companyId });
    const unlinked = await patch(task.id, { leadId: null });
    expect(unlinked.status).toBe(200);
    expect(unlinked.data).toMatchObject({ leadId: null, companyId });
    const last = await patch(task.id, { companyId: null });
    expectError(last, 400, 'validation_failed');
    expect(paths(last)).toEqual(['leadId']);
    expect((await patch(task.id, { companyId: null, leadId })).data).toMatchObject({ leadId, companyId: null });
  });
});
