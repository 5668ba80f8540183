import { z } from '@hono/zod-openapi';
import { recordEventTypes } from '../../regions/events/types.ts';
import { Timestamp } from './common.ts';
import { storableText } from './text.ts';

/**
 * The events a workflow can start on: every event about one lead, contact, company, deal or activity, and form
 * submissions (the one list, regions/events/types.ts).
 */
export const workflowEvents = recordEventTypes;
export type WorkflowEvent = (typeof workflowEvents)[number];

export const conditionOps = [
  'equals',
  'not_equals',
  'in',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'is_empty',
  'is_not_empty',
  'changed_to',
] as const;
export type ConditionOp = (typeof conditionOps)[number];

const FieldPath = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?$/, 'A field name, or customFields.<key>')
  .max(100)
  .openapi({ example: 'source' });
const Scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export const WorkflowConditionSchema = z
  .strictObject({
    field: FieldPath,
    op: z.enum(conditionOps),
    value: z.union([Scalar, z.array(Scalar).max(200)]).optional(),
  })
  .superRefine((c, ctx) => {
    const needsNone = c.op === 'is_empty' || c.op === 'is_not_empty';
    if (needsNone && c.value !== undefined) ctx.addIssue({ code: 'custom', message: `${c.op} takes no value` });
    if (!needsNone && c.value === undefined) ctx.addIssue({ code: 'custom', message: `${c.op} needs a value` });
    if (c.op === 'in' && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', message: 'in needs a list' });
    if (c.op !== 'in' && Array.isArray(c.value)) ctx.addIssue({ code: 'custom', message: 'Only in takes a list' });
  })
  .openapi('WorkflowCondition', {
    description:
      '`changed_to` holds only on `*.updated` events whose change set the field to the value. Text compares without regard to case; `gt`…`lte` compare numbers, or ISO dates as text.',
    example: { field: 'source', op: 'equals', value: 'web_form' },
  });

const Match = z.enum(['all', 'any']);
export const WorkflowConditionGroupSchema = z
  .strictObject({
    match: Match,
    rules: z
      .array(
        z.union([
          WorkflowConditionSchema,
          z.strictObject({ match: Match, rules: z.array(WorkflowConditionSchema).min(1).max(50) }),
        ]),
      )
      .max(50),
  })
  .openapi('WorkflowConditionGroup', {
    description: 'All (or any) of the rules hold; a rule is a condition or one nested group. No rules: always.',
    example: { match: 'all', rules: [{ field: 'source', op: 'equals', value: 'web_form' }] },
  });

// The shape only: the region parses the expression itself (regions/workflows/schedule.ts), so the edge's copy of
// this contract needs no cron library.
const cronShape = /^\s*\S+(\s+\S+){4}\s*$/;
const validZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const scheduledEntities = ['lead', 'contact', 'deal'] as const;

export const WorkflowTriggerSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('event'),
      event: z.enum(workflowEvents),
      conditions: WorkflowConditionGroupSchema.optional(),
    }),
    z.strictObject({
      type: z.literal('schedule'),
      cron: z
        .string()
        .max(100)
        .regex(cronShape, 'A cron expression of five fields: minute hour day-of-month month day-of-week')
        .openapi({ example: '0 9 * * 1-5' }),
      timezone: z
        .string()
        .max(64)
        .refine(validZone, 'An IANA time zone, e.g. Europe/Berlin')
        .default('UTC')
        .openapi({ example: 'Europe/Berlin' }),
      entity: z.enum(scheduledEntities),
      conditions: WorkflowConditionGroupSchema.optional(),
      limit: z.number().int().min(1).max(10_000_000).optional().openapi({
        description:
          'Most records one firing runs for, most recently created first; without it, every record that meets the conditions',
      }),
    }),
  ])
  .openapi('WorkflowTrigger', {
    description:
      '`event`: a run for each event of this type whose subject meets the conditions. The subject is the record as the API shows it for `*.created`, `*.updated` (with its change, for `changed_to`), `*.merged` (with `duplicateId`) and `deal.won`/`deal.lost` (with `reason`); for the other types it is the event payload: `deal.stage_changed` (`dealId`, `fromStageId`, `toStageId`, `fromPipelineId`, `toPipelineId`, `status`, `changedBy`), `lead.assigned` (`leadId`, `from`, `to`), `lead.converted` (`leadId`, `contactId`, `companyId`, `dealId`), `activity.completed` (`activityId`, `ownerId`, the linked record ids), `form.submitted` (`formId`, `leadId`, `values`, `consent`), `*.deleted` (the id). Actions act on the lead, contact or deal the event is about (for `form.submitted`, the lead it created); company and activity events and deletions have no record to act on, so only `notify` (a member, or `record_owner`: the `ownerId` in the event), `send_email` to an address, `call_webhook` and `wait` fit them. `schedule`: at each time of the cron expression in the time zone, a run for each record of `entity` that meets the conditions (all of them, or at most `limit`), scanned in batches on the job queue.',
    example: {
      type: 'event',
      event: 'deal.stage_changed',
      conditions: {
        match: 'all',
        rules: [{ field: 'toStageId', op: 'equals', value: '0193a5f6-5e6f-7a8b-9c0d-1e2f3a4b5c6d' }],
      },
    },
  });

/** What a stored webhook secret reads back as. */
export const SECRET_MASK = '********';

/** `record_owner`: the owner of the triggering record when the step runs. */
const Someone = z.union([z.literal('record_owner'), z.uuid()]).openapi({ example: 'record_owner' });
const Text = (max: number) => storableText(max).pipe(z.string().min(1));

export const WorkflowActionSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('assign'), userId: z.uuid() }),
    z.strictObject({
      type: z.literal('update_field'),
      field: FieldPath,
      value: z.union([Scalar, z.array(z.string().max(200)).max(100)]),
    }),
    z.strictObject({
      type: z.literal('create_task'),
      subject: Text(200),
      body: storableText(5000).optional(),
      dueInHours: z
        .number()
        .int()
        .min(0)
        .max(24 * 365)
        .optional(),
      priority: z.enum(['low', 'normal', 'high']).optional(),
      owner: Someone.optional(),
    }),
    z.strictObject({
      type: z.literal('send_email'),
      to: z.union([z.literal('record'), z.email()]).openapi({ example: 'record' }),
      subject: Text(200),
      text: Text(20_000),
    }),
    z.strictObject({
      type: z.literal('call_webhook'),
      url: z.url({ protocol: /^https?$/ }).max(2000),
      secret: z
        .union([z.literal(SECRET_MASK), z.string().min(16).max(200)])
        .optional()
        .openapi({
          description: `Signs each POST (HMAC-SHA256, as webhook deliveries are). Write-only: read back as \`${SECRET_MASK}\`; send that back unchanged to keep it.`,
        }),
    }),
    z.strictObject({
      type: z.literal('notify'),
      userId: Someone,
      title: Text(200),
      body: storableText(2000).optional(),
    }),
    z.strictObject({
      type: z.literal('wait'),
      minutes: z
        .number()
        .int()
        .min(1)
        .max(60 * 24 * 30),
    }),
  ])
  .openapi('WorkflowAction', {
    description:
      'Texts may name fields of the record as `{{field}}`. `assign` and `update_field` go through the record’s own update (validation, audit, events); `create_task` links the task to the record; `send_email` to `record` writes to its email address; `call_webhook` POSTs the event and record, signed like webhook deliveries; `wait` resumes the rest later.',
    example: { type: 'create_task', subject: 'Call {{firstName}} {{lastName}}', dueInHours: 24, owner: 'record_owner' },
  });

export type WorkflowTrigger = z.infer<typeof WorkflowTriggerSchema>;
export type WorkflowAction = z.infer<typeof WorkflowActionSchema>;
export type WorkflowCondition = z.infer<typeof WorkflowConditionSchema>;
export type WorkflowConditionGroup = z.infer<typeof WorkflowConditionGroupSchema>;

const Name = Text(100).openapi({ example: 'Web leads: call within a day' });
const Actions = z.array(WorkflowActionSchema).min(1).max(20).openapi({ description: 'Run in this order' });

export const WorkflowInput = z
  .strictObject({
    name: Name,
    description: storableText(1000).optional(),
    enabled: z.boolean().optional().openapi({ description: 'true unless given' }),
    trigger: WorkflowTriggerSchema,
    actions: Actions,
  })
  .openapi('WorkflowInput');

export const WorkflowPatch = z
  .strictObject({
    name: Name.optional(),
    description: z.union([storableText(1000), z.null()]).optional(),
    enabled: z.boolean().optional(),
    trigger: WorkflowTriggerSchema.optional(),
    actions: Actions.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('WorkflowPatch');

export const WorkflowSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    enabled: z.boolean(),
    trigger: WorkflowTriggerSchema,
    actions: z.array(WorkflowActionSchema),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Workflow');

export const WorkflowList = z.object({ data: z.array(WorkflowSchema) }).openapi('WorkflowList');

export const DryRunInput = z
  .strictObject({
    record: z.record(z.string(), z.unknown()).optional().openapi({ description: 'A sample record, or event payload' }),
    recordId: z.uuid().optional().openapi({
      description:
        'Or an existing lead, contact or deal, where the trigger’s subject is that record (not for payload events such as `deal.stage_changed`: send their payload as `record`)',
    }),
    changes: z
      .record(z.string(), z.tuple([z.unknown(), z.unknown()]))
      .optional()
      .openapi({ description: 'For `*.updated` triggers: the change, as `{ field: [before, after] }`' }),
  })
  .refine((v) => (v.record === undefined) !== (v.recordId === undefined), 'Send either record or recordId')
  .openapi('WorkflowDryRunInput');

const ConditionResult = z.object({
  field: z.string(),
  op: z.enum(conditionOps),
  value: z.unknown().optional(),
  actual: z.unknown(),
  matched: z.boolean(),
});

export const DryRunResult = z
  .object({
    matched: z.boolean(),
    conditions: z.array(ConditionResult).openapi({ description: 'Every condition, evaluated' }),
    actions: z.array(
      z.object({ position: z.number().int(), type: z.string(), wouldDo: z.string(), params: z.unknown() }),
    ),
  })
  .openapi('WorkflowDryRunResult');

export const runStatuses = ['running', 'waiting', 'succeeded', 'failed', 'skipped'] as const;
export const WorkflowStepSchema = z
  .object({
    position: z.number().int(),
    type: z.string(),
    status: z.enum(['ok', 'failed', 'skipped', 'waiting']),
    result: z.unknown(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .openapi('WorkflowRunStep');

export const WorkflowRunSchema = z
  .object({
    id: z.uuid(),
    workflowId: z.uuid(),
    workflowVersion: z.number().int(),
    status: z.enum(runStatuses),
    reason: z.string().nullable().openapi({ description: 'Why a run was skipped or failed' }),
    trigger: z.record(z.string(), z.unknown()).openapi({ description: 'The triggering event' }),
    depth: z.number().int().openapi({ description: 'Workflows up the chain of events that led here' }),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    steps: z.array(WorkflowStepSchema).optional(),
  })
  .openapi('WorkflowRun');

export const WorkflowRunPage = z
  .object({ data: z.array(WorkflowRunSchema), nextCursor: z.string().nullable() })
  .openapi('WorkflowRunPage');

export const RunParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path', description: 'The workflow id' } }),
  runId: z.uuid().openapi({ param: { name: 'runId', in: 'path', description: 'The run id' } }),
});

export const RunsQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'Runs per page (1–200, default 50)' }, example: 50 }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query', description: 'nextCursor of the previous page' } }),
});

const workflowId = '0193a5fe-2b3c-7d4e-9f5a-6b7c8d9e0f1a';
const runId = '0193a5ff-3c4d-7e5f-8a6b-7c8d9e0f1a2b';
const ownerId = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';

export const workflowInputExample: z.input<typeof WorkflowInput> = {
  name: 'Web leads: call within a day',
  trigger: {
    type: 'event',
    event: 'lead.created',
    conditions: { match: 'all', rules: [{ field: 'source', op: 'equals', value: 'web_form' }] },
  },
  actions: [
    { type: 'create_task', subject: 'Call {{firstName}} {{lastName}}', dueInHours: 24, owner: 'record_owner' },
    { type: 'notify', userId: 'record_owner', title: 'New web lead: {{firstName}} {{lastName}}' },
  ],
};

export const workflowExample: z.output<typeof WorkflowSchema> = {
  id: workflowId,
  name: 'Web leads: call within a day',
  description: null,
  enabled: true,
  trigger: workflowInputExample.trigger as z.output<typeof WorkflowTriggerSchema>,
  actions: workflowInputExample.actions as z.output<typeof WorkflowActionSchema>[],
  version: 1,
  createdAt: '2026-11-25T15:06:50.000Z',
  updatedAt: '2026-11-25T15:06:50.000Z',
};

export const workflowPatchExample: z.input<typeof WorkflowPatch> = { enabled: false };

export const dryRunInputExample: z.input<typeof DryRunInput> = {
  record: { firstName: 'Grace', lastName: 'Hopper', source: 'web_form', ownerId },
};

export const dryRunResultExample: z.output<typeof DryRunResult> = {
  matched: true,
  conditions: [{ field: 'source', op: 'equals', value: 'web_form', actual: 'web_form', matched: true }],
  actions: [
    {
      position: 0,
      type: 'create_task',
      wouldDo: `create the task "Call Grace Hopper" for ${ownerId}, due in 24 h`,
      params: { subject: 'Call {{firstName}} {{lastName}}', dueInHours: 24, owner: 'record_owner' },
    },
  ],
};

export const workflowRunExample: z.output<typeof WorkflowRunSchema> = {
  id: runId,
  workflowId,
  workflowVersion: 1,
  status: 'succeeded',
  reason: null,
  trigger: {
    eventId: '0193a600-4d5e-7f6a-9b7c-8d9e0f1a2b3c',
    type: 'lead.created',
    aggregateId: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  },
  depth: 1,
  createdAt: '2026-11-25T15:06:51.000Z',
  finishedAt: '2026-11-25T15:06:51.200Z',
  steps: [
    {
      position: 0,
      type: 'create_task',
      status: 'ok',
      result: { activityId: '0193a601-5e6f-7a8b-9c0d-1e2f3a4b5c6d' },
      error: null,
      attempts: 1,
      startedAt: '2026-11-25T15:06:51.100Z',
      finishedAt: '2026-11-25T15:06:51.150Z',
    },
  ],
};
