import { z } from '@hono/zod-openapi';

/**
 * The analytics reports: their query parameters and JSON answers. Every report answers for a range of days in a
 * time zone and, optionally, one owner; its CSV download has the same figures (see openapi/routes/analytics).
 */
const param = (name: string, description: string) => ({ param: { name, in: 'query' as const, description } });

/** A calendar day; a date-time or an impossible day (2026-02-30) is refused. */
const Day = z.iso.date();

export const reportQueryFields = {
  from: Day.optional().openapi({
    ...param('from', 'First day of the range (YYYY-MM-DD, in `tz`); defaults to 30 days ending on `to`'),
    example: '2026-10-01',
  }),
  to: Day.optional().openapi({
    ...param('to', 'Last day of the range, inclusive (YYYY-MM-DD, in `tz`); defaults to today. At most 3 years'),
    example: '2026-12-31',
  }),
  tz: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_+\-/]+$/, 'An IANA time zone name, e.g. Europe/Paris')
    .optional()
    .openapi({ ...param('tz', 'IANA time zone the days are counted in; defaults to UTC'), example: 'Europe/Paris' }),
  ownerId: z
    .uuid()
    .optional()
    .openapi({
      ...param('ownerId', "Only this user's figures. Sales reps may pass only their own id (403 otherwise)"),
      example: '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
    }),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .openapi({
      ...param('format', 'csv downloads the report as a file (needs reports:export); same as `Accept: text/csv`'),
      example: 'json',
    }),
};

export const ReportQuery = z.object(reportQueryFields);

export const PipelineReportQuery = z.object({
  ...reportQueryFields,
  pipelineId: z
    .uuid()
    .optional()
    .openapi({
      ...param('pipelineId', "The pipeline to report on; defaults to the organization's default pipeline"),
      example: '0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f',
    }),
});

export const RevenueReportQuery = z.object({
  ...reportQueryFields,
  period: z
    .enum(['day', 'week', 'month'])
    .default('month')
    .openapi({ ...param('period', 'Length of each period; weeks start on Monday'), example: 'week' }),
});

export const LeaderboardQuery = z.object({
  ...reportQueryFields,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'A three-letter ISO 4217 code, e.g. EUR')
    .optional()
    .openapi({
      ...param('currency', 'Rank by revenue in this currency; defaults to the one most deals were won in'),
      example: 'EUR',
    }),
});

const Money = z
  .string()
  .openapi({ description: 'A decimal amount, exact to the cent, as a string', example: '12500.00' });
const Currency = z.string().openapi({ description: 'ISO 4217 currency code', example: 'EUR' });
const Rate = z
  .number()
  .min(0)
  .max(100)
  .nullable()
  .openapi({ description: 'Percent with one decimal; null when there is nothing to divide by', example: 42.9 });

const rangeFields = {
  from: Day.openapi({ description: 'First day of the range', example: '2026-10-01' }),
  to: Day.openapi({ description: 'Last day of the range, inclusive', example: '2026-12-31' }),
  timeZone: z.string().openapi({ description: 'The time zone the days are counted in', example: 'Europe/Paris' }),
  ownerId: z.uuid().nullable().openapi({ description: 'Whose figures these are; null for the whole organization' }),
};

const PipelineTotals = z
  .object({
    currency: Currency,
    deals: z.number().int(),
    amount: Money,
    weightedAmount: Money.openapi({ description: 'Sum of amount × stage probability / 100', example: '6250.00' }),
  })
  .openapi('PipelineTotals');

export const PipelineReport = z
  .object({
    ...rangeFields,
    pipeline: z.object({ id: z.uuid(), name: z.string() }),
    stages: z.array(
      z.object({
        stageId: z.uuid(),
        name: z.string(),
        position: z.number().int(),
        probability: z.number().int().openapi({ description: 'Win probability of the stage, percent' }),
        totals: z.array(PipelineTotals).openapi({ description: 'One entry per currency; empty for an empty stage' }),
      }),
    ),
    totals: z.array(PipelineTotals),
  })
  .openapi('PipelineReport');

export const funnelSteps = ['lead', 'contact', 'deal', 'won'] as const;

export const FunnelReport = z
  .object({
    ...rangeFields,
    steps: z.array(
      z.object({
        step: z.enum(funnelSteps),
        count: z.number().int(),
        conversionRate: Rate.openapi({ description: 'Percent of the previous step that reached this one' }),
      }),
    ),
    overallConversionRate: Rate.openapi({ description: 'Percent of the leads that became won deals' }),
  })
  .openapi('FunnelReport');

export const WinRateReport = z
  .object({
    ...rangeFields,
    won: z.number().int(),
    lost: z.number().int(),
    winRate: Rate.openapi({ description: 'won / (won + lost), percent' }),
    averageSalesCycleDays: z
      .number()
      .nullable()
      .openapi({ description: 'Mean days from creation to close of the won deals; null if none', example: 23.5 }),
  })
  .openapi('WinRateReport');

const RevenueTotals = z.object({ currency: Currency, deals: z.number().int(), amount: Money }).openapi('RevenueTotals');

export const RevenueReport = z
  .object({
    ...rangeFields,
    period: z.enum(['day', 'week', 'month']),
    periods: z.array(
      z.object({
        period: z.string().openapi({ description: 'The day, the Monday of the week, or YYYY-MM', example: '2026-11' }),
        start: Day.openapi({ description: 'First day of the period inside the range' }),
        end: Day.openapi({ description: 'Last day of the period inside the range' }),
        totals: z.array(RevenueTotals).openapi({ description: 'Won revenue per currency; empty when none' }),
      }),
    ),
    totals: z.array(RevenueTotals),
  })
  .openapi('RevenueReport');

export const LeadSourcesReport = z
  .object({
    ...rangeFields,
    sources: z.array(
      z.object({
        source: z.string().nullable().openapi({ description: 'null for leads without a source', example: 'referral' }),
        leads: z.number().int(),
        converted: z.number().int(),
        conversionRate: Rate,
      }),
    ),
    totals: z.object({ leads: z.number().int(), converted: z.number().int(), conversionRate: Rate }),
  })
  .openapi('LeadSourcesReport');

const activityCounts = {
  tasksDone: z.number().int(),
  calls: z.number().int(),
  meetings: z.number().int(),
  notes: z.number().int(),
  emails: z.number().int(),
  total: z.number().int(),
};

const Rep = {
  userId: z.uuid().nullable().openapi({ description: 'null for activities nobody owns' }),
  name: z.string().nullable(),
  email: z.string().nullable(),
};

export const ActivityReport = z
  .object({
    ...rangeFields,
    reps: z.array(z.object({ ...Rep, ...activityCounts })),
    totals: z.object(activityCounts),
  })
  .openapi('ActivityReport');

export const LeaderboardReport = z
  .object({
    ...rangeFields,
    currency: Currency.openapi({ description: 'The currency revenue is ranked in' }),
    reps: z.array(
      z.object({
        rank: z.number().int().min(1).openapi({ description: 'Equal revenue shares a rank (1, 1, 3)' }),
        userId: z.uuid(),
        name: z.string(),
        email: z.string(),
        wonRevenue: Money,
        dealsWon: z.number().int().openapi({ description: 'Deals won in the range, in any currency' }),
        activitiesLogged: z.number().int(),
      }),
    ),
  })
  .openapi('LeaderboardReport');
