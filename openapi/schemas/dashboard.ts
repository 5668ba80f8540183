import { z } from '@hono/zod-openapi';
import { reportQueryFields } from './analytics.ts';

/**
 * The dashboard: the figures a rep looks at all day, in one answer, and the same answer pushed again over
 * Server-Sent Events whenever the organization's data changes.
 */
export const DashboardQuery = z.object({ tz: reportQueryFields.tz, ownerId: reportQueryFields.ownerId });

const Money = z
  .string()
  .openapi({ description: 'A decimal amount, exact to the cent, as a string', example: '12500.00' });
const Currency = z.string().openapi({ description: 'ISO 4217 currency code', example: 'EUR' });
const Day = z.iso.date();

const Totals = z
  .object({
    currency: Currency,
    deals: z.number().int(),
    amount: Money,
    weightedAmount: Money.openapi({ description: 'Sum of amount × stage probability / 100', example: '6250.00' }),
  })
  .openapi('DashboardPipelineTotals');

export const Dashboard = z
  .object({
    asOf: z.iso.datetime().openapi({ description: 'When the figures were read' }),
    timeZone: z.string().openapi({ description: 'The time zone "today", the week and the month are counted in' }),
    today: Day.openapi({ description: 'Today in that time zone' }),
    ownerId: z.uuid().nullable().openapi({ description: 'Whose figures these are; null for the whole organization' }),
    leads: z.object({
      today: z.number().int().openapi({ description: 'Leads created today' }),
      thisWeek: z.number().int().openapi({ description: 'Leads created since Monday' }),
      thisMonth: z.number().int().openapi({ description: 'Leads created since the 1st' }),
      convertedThisMonth: z.number().int().openapi({ description: 'Of those, how many have been converted' }),
      conversionRate: z
        .number()
        .nullable()
        .openapi({ description: 'convertedThisMonth / thisMonth, percent with one decimal; null without leads' }),
    }),
    leadsPerDay: z
      .array(z.object({ day: Day, leads: z.number().int() }))
      .openapi({ description: 'Leads created on each of the last 14 days, oldest first, empty days included' }),
    pipeline: z
      .object({
        id: z.uuid(),
        name: z.string(),
        stages: z.array(
          z.object({
            stageId: z.uuid(),
            name: z.string(),
            probability: z.number().int(),
            totals: z.array(Totals).openapi({ description: 'One entry per currency; empty for an empty stage' }),
          }),
        ),
        totals: z.array(Totals),
      })
      .nullable()
      .openapi({ description: 'Every open deal of the default pipeline, however old, by stage; null without one' }),
    wonThisMonth: z.object({
      deals: z.number().int(),
      totals: z.array(z.object({ currency: Currency, deals: z.number().int(), amount: Money })),
    }),
    myTasks: z
      .object({ open: z.number().int(), overdue: z.number().int() })
      .nullable()
      .openapi({ description: "The caller's open tasks and how many are past due; null for an API key" }),
  })
  .openapi('Dashboard');

export const dashboardExample: z.output<typeof Dashboard> = {
  asOf: '2026-12-03T09:30:00.000Z',
  timeZone: 'Europe/Paris',
  today: '2026-12-03',
  ownerId: null,
  leads: { today: 4, thisWeek: 11, thisMonth: 12, convertedThisMonth: 3, conversionRate: 25 },
  leadsPerDay: [
    { day: '2026-12-02', leads: 7 },
    { day: '2026-12-03', leads: 4 },
  ],
  pipeline: {
    id: '0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f',
    name: 'Sales',
    stages: [
      {
        stageId: '0193a5f7-8c9d-7e0f-9a1b-2c3d4e5f6a7b',
        name: 'Proposal',
        probability: 50,
        totals: [{ currency: 'EUR', deals: 2, amount: '15000.00', weightedAmount: '7500.00' }],
      },
    ],
    totals: [{ currency: 'EUR', deals: 2, amount: '15000.00', weightedAmount: '7500.00' }],
  },
  wonThisMonth: { deals: 1, totals: [{ currency: 'EUR', deals: 1, amount: '4200.00' }] },
  myTasks: { open: 5, overdue: 1 },
};

export const dashboardStreamExample = [
  'retry: 3000',
  '',
  'event: snapshot',
  `data: ${JSON.stringify({ ...dashboardExample, leadsPerDay: [], pipeline: null })}`,
  '',
  ': keep-alive',
  '',
  '',
].join('\n');
