import type { activityTypes } from '../../db/schema/crm-enums.ts';
import { typeFields } from '../../openapi/schemas/activities.ts';

type ActivityType = (typeof activityTypes)[number];

const allTypeFields = new Set(Object.values(typeFields).flat());
const subjectLength = 80;

/**
 * A note's subject when none is given: the first non-blank line of its body, whitespace collapsed, cut at a word
 * boundary to fit a list row, with an ellipsis when something was cut.
 */
export function noteSubject(body: string): string {
  const line =
    body
      .split(/\r?\n/)
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .find((l) => l.length > 0) ?? '';
  if (line.length <= subjectLength) return line || 'Note';
  const cut = line.slice(0, subjectLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > subjectLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Email addresses as stored: trimmed, lower-cased, each once, in the order given. */
export const normaliseEmails = (emails: readonly string[]): string[] => [
  ...new Set(emails.map((e) => e.trim().toLowerCase())),
];

/** The fields of a change that belong to another activity type than the stored one's. */
export function foreignFields(type: ActivityType, fields: readonly string[]): string[] {
  const own = new Set(typeFields[type]);
  return fields.filter((field) => allTypeFields.has(field) && !own.has(field));
}

/**
 * When a task counts as completed: marking it done stamps the time (once — marking a done task done again keeps
 * the first time), undoing clears it, and anything else leaves it as it was.
 */
export function completedAtAfter(
  before: { done: boolean; completedAt: Date | null },
  done: boolean | undefined,
  now: Date,
): Date | null {
  if (done === undefined || done === before.done) return before.completedAt;
  return done ? now : null;
}
