import { z } from '@hono/zod-openapi';
import { assignmentStrategies } from '../../db/schema/assignment-enums.ts';
import { Timestamp } from './common.ts';
import { CountryCode } from './leads.ts';
import { storableText } from './text.ts';

const ruleId = '0193a5fd-2b3c-7d4e-9f5a-6b7c8d9e0f1a';
const secondRuleId = '0193a5fd-3c4d-7e5f-8a6b-7c8d9e0f1a2b';
const dachRepId = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';
const awayRepId = '0193a5f3-4d5e-7f6a-9b7c-8d9e0f1a2b3c';
const leadId = '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b';

const unique = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase())).size === values.length;
const Names = (example: string[]) =>
  z
    .array(storableText(100).pipe(z.string().min(1)))
    .min(1)
    .max(200)
    .refine(unique, 'List each value once')
    .openapi({ example });

export const AssignmentStrategySchema = z.enum(assignmentStrategies).openapi('AssignmentStrategy', {
  description:
    '`round_robin`: the next eligible rep after the one the rule chose last, in member order. `weighted`: the eligible rep with the fewest open leads per unit of weight, so a rep of weight 2 carries twice the open leads of a rep of weight 1 (ties go to the rep with the most free capacity, then member order).',
});

export const AssignmentConditionsSchema = z
  .strictObject({
    countries: z
      .array(CountryCode)
      .min(1)
      .max(250)
      .refine(unique, 'List each value once')
      .optional()
      .openapi({ example: ['DE', 'AT', 'CH'] }),
    regions: Names(['Bavaria', 'Vienna']).optional(),
    industries: Names(['Manufacturing']).optional(),
    sources: Names(['web_form', 'referral']).optional(),
  })
  .openapi('AssignmentConditions', {
    description:
      "Which leads match: each list given must contain the lead's value (countries exactly, the others without regard to case); a list left out places no condition, so `{}` matches every lead.",
    example: { countries: ['DE', 'AT', 'CH'] },
  });

export const AssignmentMemberInput = z
  .strictObject({
    userId: z.uuid().openapi({ description: 'An active sales rep or manager of the organization' }),
    weight: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "The rep's share in a weighted rule; 1 unless given", example: 2 }),
    territory: z
      .union([AssignmentConditionsSchema, z.null()])
      .optional()
      .openapi({ description: 'Leads this rep takes within the rule; null or absent: every lead the rule takes' }),
  })
  .openapi('AssignmentMemberInput');

const Members = z
  .array(AssignmentMemberInput)
  .min(1)
  .max(200)
  .refine((members) => unique(members.map((m) => m.userId)), 'List each rep once')
  .openapi({ description: 'The reps, in rotation order' });
const RuleName = storableText(100).pipe(z.string().min(1)).openapi({ example: 'DACH territory' });

export const AssignmentRuleInput = z
  .strictObject({
    name: RuleName,
    strategy: AssignmentStrategySchema,
    active: z.boolean().optional().openapi({ description: 'true unless given; inactive rules are skipped' }),
    conditions: AssignmentConditionsSchema.optional(),
    members: Members,
  })
  .openapi('AssignmentRuleInput');

export const AssignmentRulePatch = z
  .strictObject({
    name: RuleName.optional(),
    strategy: AssignmentStrategySchema.optional(),
    active: z.boolean().optional(),
    conditions: AssignmentConditionsSchema.optional(),
    members: Members.optional().openapi({ description: 'Replaces the whole member list' }),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('AssignmentRulePatch');

export const AssignmentMemberSchema = z
  .object({
    userId: z.uuid(),
    weight: z.number().int(),
    territory: z
      .union([AssignmentConditionsSchema, z.null()])
      .openapi({ description: 'Leads this rep takes within the rule; null: every lead the rule takes' }),
  })
  .openapi('AssignmentMember');

export const AssignmentRuleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int().openapi({ description: 'Rules are tried in ascending position' }),
    active: z.boolean(),
    strategy: AssignmentStrategySchema,
    conditions: AssignmentConditionsSchema,
    members: z.array(AssignmentMemberSchema),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('AssignmentRule');

export const AssignmentRuleList = z
  .object({ data: z.array(AssignmentRuleSchema).openapi({ description: 'Every rule, in the order they are tried' }) })
  .openapi('AssignmentRuleList');

export const AssignmentRuleOrder = z
  .strictObject({
    ids: z
      .array(z.uuid())
      .min(1)
      .max(500)
      .refine(unique, 'List each rule once')
      .openapi({ description: "Every rule's id, in the order they are to be tried" }),
  })
  .openapi('AssignmentRuleOrder');

export const AvailabilityInput = z
  .strictObject({
    away: z.boolean().openapi({ description: 'Away reps get no new leads' }),
    awayUntil: Timestamp.nullable()
      .optional()
      .openapi({ description: 'When an away rep is back; null or absent: until set otherwise. Only with away' }),
    maxOpenLeads: z
      .number()
      .int()
      .min(0)
      .max(100000)
      .nullable()
      .optional()
      .openapi({ description: 'The most open leads the rep takes new ones up to; null or absent: no limit' }),
  })
  .refine((v) => v.away || v.awayUntil == null, { message: 'Give awayUntil only with away', path: ['awayUntil'] })
  .openapi('AvailabilityInput');

export const AvailabilitySchema = z
  .object({
    userId: z.uuid(),
    away: z.boolean().openapi({ description: 'Whether the rep is away now (an awayUntil in the past means back)' }),
    awayUntil: Timestamp.nullable(),
    maxOpenLeads: z.number().int().nullable(),
    openLeads: z.number().int().openapi({ description: 'Leads the rep owns that are new, contacted or qualified' }),
    available: z.boolean().openapi({ description: 'Not away and below the limit: may be given new leads now' }),
    updatedAt: Timestamp.nullable().openapi({ description: 'When it was last set; null if never' }),
  })
  .openapi('Availability');

export const skipReasons = ['not_assignable', 'not_in_territory', 'away', 'at_capacity'] as const;

export const AssignmentCandidateSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    outcome: z.enum(['chosen', 'eligible', 'skipped']),
    reason: z.enum(skipReasons).nullable().openapi({ description: 'Why a skipped rep was passed over' }),
    detail: z.string(),
    openLeads: z.number().int(),
    maxOpenLeads: z.number().int().nullable(),
    weight: z.number().int(),
  })
  .openapi('AssignmentCandidate');

export const AssignmentRuleTrialSchema = z
  .object({
    ruleId: z.uuid(),
    name: z.string(),
    strategy: AssignmentStrategySchema,
    matched: z.boolean().openapi({ description: "Whether the lead met the rule's conditions" }),
    detail: z.string(),
    candidates: z.array(AssignmentCandidateSchema).openapi({ description: 'Its reps, when the lead matched' }),
  })
  .openapi('AssignmentRuleTrial');

export const AssignmentExplanationSchema = z
  .object({
    outcome: z.enum(['assigned', 'unassigned']),
    summary: z.string(),
    ownerId: z.uuid().nullable(),
    ruleId: z.uuid().nullable(),
    rules: z.array(AssignmentRuleTrialSchema).openapi({ description: 'The active rules tried, in order' }),
  })
  .openapi('AssignmentExplanation');

export const LeadAssignmentSchema = z
  .object({
    id: z.uuid(),
    leadId: z.uuid(),
    ruleId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    explanation: AssignmentExplanationSchema,
    assignedAt: Timestamp,
  })
  .openapi('LeadAssignment');

export const assignmentRuleInputExample = {
  name: 'DACH territory',
  strategy: 'round_robin',
  conditions: { countries: ['DE', 'AT', 'CH'] },
  members: [{ userId: dachRepId }, { userId: awayRepId, weight: 1, territory: { regions: ['Vienna'] } }],
} satisfies z.input<typeof AssignmentRuleInput>;

export const assignmentRuleExample = {
  id: ruleId,
  name: 'DACH territory',
  position: 0,
  active: true,
  strategy: 'round_robin',
  conditions: { countries: ['DE', 'AT', 'CH'] },
  members: [
    { userId: dachRepId, weight: 1, territory: null },
    { userId: awayRepId, weight: 1, territory: { regions: ['Vienna'] } },
  ],
  version: 1,
  createdAt: '2026-11-25T15:06:50.000Z',
  updatedAt: '2026-11-25T15:06:50.000Z',
} satisfies z.output<typeof AssignmentRuleSchema>;

export const assignmentRulePatchExample = { active: false } satisfies z.input<typeof AssignmentRulePatch>;
export const updatedAssignmentRuleExample = {
  ...assignmentRuleExample,
  active: false,
  version: 2,
  updatedAt: '2026-11-26T09:12:00.000Z',
} satisfies z.output<typeof AssignmentRuleSchema>;

const catchAllExample = {
  ...assignmentRuleExample,
  id: secondRuleId,
  name: 'Everyone else',
  position: 1,
  strategy: 'weighted',
  conditions: {},
  members: [{ userId: dachRepId, weight: 2, territory: null }],
} satisfies z.output<typeof AssignmentRuleSchema>;

export const assignmentRuleListExample = { data: [assignmentRuleExample, catchAllExample] };
export const assignmentRuleOrderExample = { ids: [secondRuleId, ruleId] } satisfies z.input<typeof AssignmentRuleOrder>;
export const reorderedAssignmentRulesExample = {
  data: [
    { ...catchAllExample, position: 0 },
    { ...assignmentRuleExample, position: 1 },
  ],
};

export const availabilityInputExample = {
  away: true,
  awayUntil: '2026-12-07T08:00:00.000Z',
  maxOpenLeads: 40,
} satisfies z.input<typeof AvailabilityInput>;

export const availabilityExample = {
  userId: awayRepId,
  away: true,
  awayUntil: '2026-12-07T08:00:00.000Z',
  maxOpenLeads: 40,
  openLeads: 12,
  available: false,
  updatedAt: '2026-11-30T17:45:00.000Z',
} satisfies z.output<typeof AvailabilitySchema>;

export const leadAssignmentExample = {
  id: '0193a5fe-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
  leadId,
  ruleId,
  ownerId: dachRepId,
  explanation: {
    outcome: 'assigned',
    summary: 'Assigned to Hanna Berg by rule "DACH territory" (round robin)',
    ownerId: dachRepId,
    ruleId,
    rules: [
      {
        ruleId,
        name: 'DACH territory',
        strategy: 'round_robin',
        matched: true,
        detail: 'country AT is one of DE, AT, CH',
        candidates: [
          {
            userId: awayRepId,
            name: 'Jonas Weber',
            outcome: 'skipped',
            reason: 'away',
            detail: 'away until 2026-12-07T08:00:00.000Z',
            openLeads: 12,
            maxOpenLeads: 40,
            weight: 1,
          },
          {
            userId: dachRepId,
            name: 'Hanna Berg',
            outcome: 'chosen',
            reason: null,
            detail: 'next in rotation',
            openLeads: 7,
            maxOpenLeads: null,
            weight: 1,
          },
        ],
      },
    ],
  },
  assignedAt: '2026-11-27T11:45:02.000Z',
} satisfies z.output<typeof LeadAssignmentSchema>;
