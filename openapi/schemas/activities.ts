import { z } from '@hono/zod-openapi';
import { activityPriorities, activityTypes } from '../../db/schema/crm-enums.ts';
import { Timestamp } from './common.ts';
import { storable, storableText, unstorableMessage } from './text.ts';

export const callOutcomes = ['connected', 'no_answer', 'voicemail', 'busy', 'wrong_number'] as const;
export const emailDirections = ['inbound', 'outbound'] as const;
export const taskViews = ['open', 'today', 'overdue'] as const;
export const linkFields = ['leadId', 'contactId', 'companyId', 'dealId'] as const;

/** Whether the runtime knows this IANA time zone (Intl canonicalises case, so `europe/paris` is accepted too). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A timestamp PostgreSQL can store and the application can write back: years 1–9999 once converted to UTC. The
 * shared Timestamp lets through year 0 and offsets that carry 9999-12-31 into year 10000, which the database
 * refuses with a 500.
 */
const earliest = Date.parse('0001-01-01T00:00:00.000Z');
const latest = Date.parse('9999-12-31T23:59:59.999Z');
export const Instant = Timestamp.refine((value) => {
  const t = Date.parse(value);
  return t >= earliest && t <= latest;
}, 'Must fall between the years 1 and 9999 in UTC');

export const ActivityTypeSchema = z.enum(activityTypes).openapi('ActivityType');
export const ActivityPrioritySchema = z.enum(activityPriorities).openapi('ActivityPriority');
export const CallOutcomeSchema = z.enum(callOutcomes).openapi('CallOutcome');
export const EmailDirectionSchema = z.enum(emailDirections).openapi('EmailDirection');

const Subject = storableText(300).min(1, 'Give the activity a subject').openapi({ example: 'Send the proposal' });
const Body = storableText(20_000).openapi({ example: 'Include the three-year pricing option.' });
const Email = z.email().max(254).openapi({ example: 'grace@navy.example' });
const Emails = (max: number) => z.array(Email).max(max);
const Link = (what: string) =>
  z
    .uuid()
    .nullable()
    .openapi({ description: `The ${what} this activity is about`, example: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b' });

/** Fields every type has. Each type's schema adds its own, and is strict: another type's field is refused. */
const common = {
  subject: Subject,
  body: Body.nullable().optional(),
  ownerId: z.uuid().nullable().optional().openapi({ description: 'Defaults to the user who creates it' }),
  leadId: Link('lead').optional(),
  contactId: Link('contact').optional(),
  companyId: Link('company').optional(),
  dealId: Link('deal').optional(),
};

const taskFields = {
  dueAt: Instant.nullable(),
  priority: ActivityPrioritySchema,
  done: z.boolean().openapi({ description: 'Marking a task done sets completedAt; undoing it clears it' }),
};
const callFields = {
  durationSeconds: z.number().int().min(0).max(86_400).nullable().openapi({ example: 540 }),
  outcome: CallOutcomeSchema.nullable(),
};
const meetingFields = {
  startsAt: Instant,
  endsAt: Instant.openapi({ description: 'After startsAt', example: '2026-12-01T15:00:00.000Z' }),
  attendees: Emails(200).openapi({ description: 'Attendee email addresses (lower-cased, duplicates dropped)' }),
};
const emailFields = {
  emailDirection: EmailDirectionSchema,
  emailFrom: Email,
  emailTo: Emails(100).min(1, 'Give at least one recipient'),
};

/** Which type-specific fields each activity type has; a write naming any other is refused. */
export const typeFields: Record<(typeof activityTypes)[number], readonly string[]> = {
  task: Object.keys(taskFields),
  call: Object.keys(callFields),
  meeting: Object.keys(meetingFields),
  note: [],
  email: Object.keys(emailFields),
};

const endsAfterStart = (v: { startsAt?: string; endsAt?: string }) =>
  !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);
const endsAfterStartIssue = { message: 'endsAt must be after startsAt', path: ['endsAt'] };

const TaskInput = z
  .strictObject({
    type: z.literal('task'),
    ...common,
    dueAt: taskFields.dueAt.optional(),
    priority: taskFields.priority.optional(),
    done: taskFields.done.optional(),
  })
  .openapi('TaskInput', { description: 'A to-do with an optional due time and a priority' });

const CallInput = z
  .strictObject({
    type: z.literal('call'),
    ...common,
    durationSeconds: callFields.durationSeconds.optional(),
    outcome: callFields.outcome.optional(),
  })
  .openapi('CallInput', { description: 'A logged phone call' });

const MeetingInput = z
  .strictObject({
    type: z.literal('meeting'),
    ...common,
    startsAt: meetingFields.startsAt,
    endsAt: meetingFields.endsAt,
    attendees: meetingFields.attendees.optional(),
  })
  .refine(endsAfterStart, endsAfterStartIssue)
  .openapi('MeetingInput', { description: 'A meeting: when it starts and ends, and who attends' });

const NoteInput = z
  .strictObject({
    type: z.literal('note'),
    ...common,
    subject: Subject.optional().openapi({ description: "Defaults to the body's first line" }),
    body: Body.min(1, 'A note needs a body'),
  })
  .openapi('NoteInput', { description: 'A free-text note; its subject defaults to the first line of its body' });

const EmailInput = z
  .strictObject({ type: z.literal('email'), ...common, ...emailFields })
  .openapi('EmailInput', { description: 'A logged email, sent or received outside the CRM' });

type Links = Partial<Record<(typeof linkFields)[number], string | null>>;
export const hasLink = (v: Links) => linkFields.some((field) => Boolean(v[field]));
export const linkMessage = 'Link the activity to at least one lead, contact, company or deal';

export const ActivityInput = z
  .discriminatedUnion('type', [TaskInput, CallInput, MeetingInput, NoteInput, EmailInput])
  .refine(hasLink, { message: linkMessage, path: ['leadId'] })
  .openapi('ActivityInput');

/**
 * Every field a change may name. Which apply depends on the stored activity's type (see typeFields), which the
 * service checks: the type itself never changes.
 */
export const ActivityPatch = z
  .strictObject({
    subject: Subject.optional(),
    body: Body.nullable().optional(),
    ownerId: z.uuid().nullable().optional(),
    leadId: Link('lead').optional(),
    contactId: Link('contact').optional(),
    companyId: Link('company').optional(),
    dealId: Link('deal').optional(),
    dueAt: taskFields.dueAt.optional(),
    priority: taskFields.priority.optional(),
    done: taskFields.done.optional(),
    durationSeconds: callFields.durationSeconds.optional(),
    outcome: callFields.outcome.optional(),
    startsAt: meetingFields.startsAt.optional(),
    endsAt: meetingFields.endsAt.optional(),
    attendees: meetingFields.attendees.optional(),
    emailDirection: emailFields.emailDirection.optional(),
    emailFrom: emailFields.emailFrom.optional(),
    emailTo: emailFields.emailTo.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('ActivityPatch', {
    description:
      "Send only the fields to change, and only the stored type's own: dueAt, priority and done for tasks; durationSeconds and outcome for calls; startsAt, endsAt and attendees for meetings; emailDirection, emailFrom and emailTo for emails.",
  });

export const ActivitySchema = z
  .object({
    id: z.uuid(),
    type: ActivityTypeSchema,
    subject: z.string(),
    body: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    leadId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
    companyId: z.uuid().nullable(),
    dealId: z.uuid().nullable(),
    dueAt: Timestamp.nullable().openapi({ description: 'Tasks only; null otherwise' }),
    priority: ActivityPrioritySchema.nullable().openapi({ description: 'Tasks only; null otherwise' }),
    done: z.boolean().nullable().openapi({ description: 'Tasks only; null otherwise' }),
    completedAt: Timestamp.nullable().openapi({ description: 'When a task was marked done' }),
    durationSeconds: z.number().int().nullable(),
    outcome: CallOutcomeSchema.nullable(),
    startsAt: Timestamp.nullable(),
    endsAt: Timestamp.nullable(),
    attendees: z.array(z.string()).nullable(),
    emailDirection: EmailDirectionSchema.nullable(),
    emailFrom: z.string().nullable(),
    emailTo: z.array(z.string()).nullable(),
    version: z.number().int(),
    createdBy: z.uuid().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Activity');

export const ActivityList = z
  .object({
    data: z.array(ActivitySchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('ActivityList');

const filterId = (name: string, description: string) =>
  z
    .uuid()
    .optional()
    .openapi({ param: { name, in: 'query', description }, example: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b' });

/** Keyset page parameters, shared by the activity, task and audit lists. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'Page size, 1–200' }, example: 50 }),
  cursor: z
    .string()
    .max(300)
    .refine(storable, unstorableMessage)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query', description: 'Opaque cursor: `nextCursor` from the previous page' },
      example: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWY0LTNjNGQtN2U1Zi04YTZiLTdjOGQ5ZTBmMWEyYiJ9',
    }),
};

export const ActivityListQuery = z.object({
  ...pageQuery,
  type: ActivityTypeSchema.optional().openapi({
    param: { name: 'type', in: 'query', description: 'Only activities of this type' },
    example: 'task',
  }),
  ownerId: filterId('ownerId', 'Only activities owned by this user'),
  leadId: filterId('leadId', 'Only activities linked to this lead'),
  contactId: filterId('contactId', 'Only activities linked to this contact'),
  companyId: filterId('companyId', 'Only activities linked to this company'),
  dealId: filterId('dealId', 'Only activities linked to this deal'),
  done: z
    .enum(['true', 'false'])
    .optional()
    .openapi({
      param: { name: 'done', in: 'query', description: 'Only tasks that are done (`true`) or still open (`false`)' },
      example: 'false',
    }),
  dueAfter: Instant.optional().openapi({
    param: { name: 'dueAfter', in: 'query', description: 'Only tasks due at or after this time' },
    example: '2026-12-01T00:00:00.000Z',
  }),
  dueBefore: Instant.optional().openapi({
    param: { name: 'dueBefore', in: 'query', description: 'Only tasks due before this time' },
    example: '2026-12-08T00:00:00.000Z',
  }),
});

export const TaskViewQuery = z.object({
  ...pageQuery,
  view: z
    .enum(taskViews)
    .default('open')
    .openapi({
      param: {
        name: 'view',
        in: 'query',
        description:
          '`open`: not done; `today`: due today in `tz`, done or not; `overdue`: not done and due before now',
      },
      example: 'today',
    }),
  tz: z
    .string()
    .max(64)
    .refine(isTimeZone, 'Not an IANA time zone, such as Europe/Paris')
    .default('UTC')
    .openapi({
      param: { name: 'tz', in: 'query', description: 'IANA time zone that decides when "today" starts and ends' },
      example: 'Europe/Paris',
    }),
});

// Examples for the document, typed by the schemas they illustrate so a contract change cannot leave one stale.
type In<T extends z.ZodType> = z.input<T>;
type Out<T extends z.ZodType> = z.output<T>;

const ownerId = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';
const leadId = '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b';
const dealId = '0193a5f8-6a7b-7c8d-9e0f-1a2b3c4d5e6f';

export const activityInputExamples: Record<string, { summary: string; value: In<typeof ActivityInput> }> = {
  task: {
    summary: 'A task with a due time',
    value: {
      type: 'task',
      subject: 'Send the proposal',
      dueAt: '2026-12-01T09:00:00.000Z',
      priority: 'high',
      leadId,
    },
  },
  call: {
    summary: 'A logged call',
    value: { type: 'call', subject: 'Discovery call', durationSeconds: 540, outcome: 'connected', leadId },
  },
  meeting: {
    summary: 'A meeting',
    value: {
      type: 'meeting',
      subject: 'Demo',
      startsAt: '2026-12-01T14:00:00.000Z',
      endsAt: '2026-12-01T15:00:00.000Z',
      attendees: ['grace@navy.example'],
      dealId,
    },
  },
  note: {
    summary: 'A note (its subject comes from the first line)',
    value: { type: 'note', body: 'Budget approved for Q1.\nDecision by the end of January.', dealId },
  },
  email: {
    summary: 'A logged email',
    value: {
      type: 'email',
      subject: 'Re: pricing',
      body: 'Thanks, the three-year option works for us.',
      emailDirection: 'inbound',
      emailFrom: 'grace@navy.example',
      emailTo: ['ada@analytical.example'],
      leadId,
    },
  },
};

export const activityExample: Out<typeof ActivitySchema> = {
  id: '0193a5f9-7b8c-7d9e-8f0a-1b2c3d4e5f6a',
  type: 'task',
  subject: 'Send the proposal',
  body: null,
  ownerId,
  leadId,
  contactId: null,
  companyId: null,
  dealId: null,
  dueAt: '2026-12-01T09:00:00.000Z',
  priority: 'high',
  done: false,
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
  createdBy: ownerId,
  createdAt: '2026-11-27T11:45:00.000Z',
  updatedAt: '2026-11-27T11:45:00.000Z',
};

export const activityPatchExample: In<typeof ActivityPatch> = { done: true };

export const completedActivityExample: Out<typeof ActivitySchema> = {
  ...activityExample,
  done: true,
  completedAt: '2026-11-30T16:20:00.000Z',
  version: 2,
  updatedAt: '2026-11-30T16:20:00.000Z',
};

export const activityListExample: Out<typeof ActivityList> = {
  data: [activityExample],
  nextCursor: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWY5LTdiOGMtN2Q5ZS04ZjBhLTFiMmMzZDRlNWY2YSJ9',
};
