import { z } from '@hono/zod-openapi';
import { defaultScoringRules, scoringFields, scoringOperators } from '../../regions/leads/rules.ts';

/** Operators that compare with `value`, and those that must not have one. */
const needsValue = new Set(['equals', 'notEquals', 'in', 'notIn', 'containsWord', 'notContainsWord']);

const Text = z.string().trim().min(1).max(200);

export const ScoringRuleSchema = z
  .object({
    field: z.enum(scoringFields).openapi({
      description:
        'The lead field tested: `emailDomain` is the part of the email after @, lower-cased; `source` is lower-cased; a lead without a status counts as `new`',
      example: 'source',
    }),
    operator: z.enum(scoringOperators).openapi({
      description:
        '`present`/`absent`: the field has a value or not. `equals`/`notEquals`/`in`/`notIn`: case-insensitive comparison with `value` (one string or a list). `containsWord`/`notContainsWord`: any of the words or phrases in `value` appears as a whole word. Every operator but `absent` fails on a field without a value.',
      example: 'equals',
    }),
    value: z
      .union([Text, z.array(Text).min(1).max(500)])
      .nullable()
      .optional()
      .openapi({
        description: 'What to compare with; required by every operator but present/absent',
        example: 'referral',
      }),
    points: z.number().int().min(-100).max(100).openapi({ description: 'Added when the rule holds', example: 20 }),
    reason: Text.openapi({
      description: 'Shown with the score; `{value}` is replaced by the field value',
      example: 'Source: {value}',
    }),
    stop: z
      .boolean()
      .optional()
      .openapi({ description: 'When the rule holds, the score is its points alone and later rules are skipped' }),
  })
  .superRefine((rule, ctx) => {
    const has = rule.value !== undefined && rule.value !== null;
    if (needsValue.has(rule.operator) && !has) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `The ${rule.operator} operator needs a value` });
    }
    if (!needsValue.has(rule.operator) && has) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `The ${rule.operator} operator takes no value` });
    }
    if ((rule.operator === 'equals' || rule.operator === 'notEquals') && Array.isArray(rule.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Use in/notIn to compare with a list' });
    }
  })
  .openapi('ScoringRule');

export const ScoringRulesInput = z
  .object({
    rules: z.array(ScoringRuleSchema).max(100).openapi({ description: 'Evaluated in order; at most 100' }),
  })
  .strict()
  .openapi('ScoringRulesInput');

export const ScoringRecompute = z
  .object({
    status: z.enum(['idle', 'queued', 'running', 'done']).openapi({
      description: 'idle: rules never changed; queued/running: leads are being rescored; done: every lead has been',
    }),
    done: z.number().int().openapi({ description: 'Leads rescored so far', example: 1500 }),
    total: z.number().int().openapi({ description: 'Leads to rescore', example: 4200 }),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .openapi('ScoringRecompute');

export const ScoringRules = z
  .object({
    rules: z.array(ScoringRuleSchema),
    isDefault: z.boolean().openapi({ description: 'True while the organization uses the built-in rules unchanged' }),
    version: z.number().int().openapi({ description: 'Also sent as the ETag `"v<version>"`', example: 2 }),
    updatedAt: z.iso.datetime().nullable(),
    recompute: ScoringRecompute,
  })
  .openapi('ScoringRules');

export const scoringRulesInputExample: z.input<typeof ScoringRulesInput> = {
  rules: [
    { field: 'status', operator: 'equals', value: 'unqualified', points: 0, reason: 'Marked unqualified', stop: true },
    { field: 'email', operator: 'present', points: 10, reason: 'Has an email address' },
    {
      field: 'industry',
      operator: 'in',
      value: ['software', 'fintech'],
      points: 25,
      reason: 'Target industry ({value})',
    },
    { field: 'title', operator: 'containsWord', value: ['ceo', 'founder', 'vp'], points: 20, reason: 'Decision-maker' },
    { field: 'source', operator: 'equals', value: 'purchased_list', points: -10, reason: 'Source: {value}' },
  ],
};

export const scoringRulesExample: z.output<typeof ScoringRules> = {
  rules: scoringRulesInputExample.rules as z.output<typeof ScoringRuleSchema>[],
  isDefault: false,
  version: 2,
  updatedAt: '2026-11-27T10:15:00.000Z',
  recompute: {
    status: 'running',
    done: 1500,
    total: 4200,
    startedAt: '2026-11-27T10:15:00.000Z',
    finishedAt: null,
  },
};

export const defaultScoringRulesExample: z.output<typeof ScoringRules> = {
  rules: defaultScoringRules.slice(0, 3) as z.output<typeof ScoringRuleSchema>[],
  isDefault: true,
  version: 1,
  updatedAt: null,
  recompute: { status: 'idle', done: 0, total: 0, startedAt: null, finishedAt: null },
};
