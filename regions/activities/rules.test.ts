import { describe, expect, it } from 'vitest';
import { completedAtAfter, foreignFields, normaliseEmails, noteSubject } from './rules.ts';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor.ts';

describe('noteSubject', () => {
  it("is the body's first non-blank line, whitespace collapsed", () => {
    expect(noteSubject('Budget approved for Q1.\nDecision by January.')).toBe('Budget approved for Q1.');
    expect(noteSubject('\n\n   \r\n  Called   back \t later  \nmore')).toBe('Called back later');
  });

  it('cuts a long first line at a word boundary, with an ellipsis', () => {
    const long = `${'word '.repeat(30)}end`;
    const subject = noteSubject(long);
    expect(subject.length).toBeLessThanOrEqual(80);
    expect(subject.endsWith('word…')).toBe(true);
    const unbroken = 'x'.repeat(200);
    expect(noteSubject(unbroken)).toBe(`${'x'.repeat(79)}…`);
    expect(noteSubject('y'.repeat(80))).toBe('y'.repeat(80));
  });

  it('never returns an empty subject', () => {
    expect(noteSubject('   \n  ')).toBe('Note');
  });
});

describe('normaliseEmails', () => {
  it('trims, lower-cases and keeps each address once, in order', () => {
    expect(normaliseEmails([' Grace@Navy.example', 'ada@x.example', 'grace@navy.example'])).toEqual([
      'grace@navy.example',
      'ada@x.example',
    ]);
    expect(normaliseEmails([])).toEqual([]);
  });
});

describe('foreignFields', () => {
  it('names the fields of other types, and only those, for each type', () => {
    expect(foreignFields('task', ['subject', 'dueAt', 'done', 'priority', 'leadId'])).toEqual([]);
    expect(foreignFields('call', ['dueAt', 'durationSeconds', 'outcome', 'attendees'])).toEqual(['dueAt', 'attendees']);
    expect(foreignFields('meeting', ['startsAt', 'endsAt', 'attendees', 'emailTo'])).toEqual(['emailTo']);
    expect(foreignFields('note', ['body', 'subject', 'done'])).toEqual(['done']);
    expect(foreignFields('email', ['emailFrom', 'emailTo', 'emailDirection', 'priority'])).toEqual(['priority']);
  });
});

describe('completedAtAfter', () => {
  const now = new Date('2026-06-15T10:00:00Z');
  const earlier = new Date('2026-06-14T10:00:00Z');

  it('stamps the time when a task is marked done, and clears it when undone', () => {
    expect(completedAtAfter({ done: false, completedAt: null }, true, now)).toEqual(now);
    expect(completedAtAfter({ done: true, completedAt: earlier }, false, now)).toBeNull();
  });

  it('keeps the first completion time when marked done again, and leaves it when done is not named', () => {
    expect(completedAtAfter({ done: true, completedAt: earlier }, true, now)).toEqual(earlier);
    expect(completedAtAfter({ done: true, completedAt: earlier }, undefined, now)).toEqual(earlier);
    expect(completedAtAfter({ done: false, completedAt: null }, false, now)).toBeNull();
  });
});

describe('task cursors', () => {
  const id = '0193a5f9-7b8c-7d9e-8f0a-1b2c3d4e5f6a';

  it('round-trip a position with and without a due time', () => {
    const dueAt = new Date('2026-06-15T10:00:00.123Z');
    expect(decodeTaskCursor(encodeTaskCursor({ dueAt, id }))).toEqual({ dueAt, id });
    expect(decodeTaskCursor(encodeTaskCursor({ dueAt: null, id }))).toEqual({ dueAt: null, id });
  });

  it('refuse anything this API did not make, with a 400', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'nonsense',
      forged({ v: 1, due: null, id: 'not-a-uuid' }),
      forged({ v: 1, due: "2026-06-15'; drop table activities; --", id }),
      forged({ v: 1, due: '2026-13-45T10:00:00.000Z', id }),
      forged({ v: 2, due: null, id }),
      forged({ v: 1, id }),
    ]) {
      expect(() => decodeTaskCursor(cursor), cursor).toThrow(
        expect.objectContaining({ status: 400, code: 'invalid_cursor' }),
      );
    }
  });
});
