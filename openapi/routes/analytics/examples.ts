import type { z } from '@hono/zod-openapi';
import type {
  ActivityReport,
  FunnelReport,
  LeaderboardReport,
  LeadSourcesReport,
  PipelineReport,
  RevenueReport,
  WinRateReport,
} from '../../schemas/analytics.ts';

/** Examples of every report, as JSON and as the CSV download of the same figures. */
type Out<T extends z.ZodType> = z.output<T>;

const range = { from: '2026-10-01', to: '2026-12-31', timeZone: 'Europe/Paris', ownerId: null };
const adaId = '0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const charlesId = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';
const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

export const pipelineReportExample: Out<typeof PipelineReport> = {
  ...range,
  pipeline: { id: '0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f', name: 'Sales' },
  stages: [
    {
      stageId: '0193a5f7-7b8c-7d9e-8f0a-1b2c3d4e5f6a',
      name: 'Qualification',
      position: 0,
      probability: 10,
      totals: [{ currency: 'EUR', deals: 2, amount: '3000.00', weightedAmount: '300.00' }],
    },
    {
      stageId: '0193a5f7-8c9d-7e0f-9a1b-2c3d4e5f6a7b',
      name: 'Proposal',
      position: 2,
      probability: 50,
      totals: [
        { currency: 'EUR', deals: 1, amount: '12500.00', weightedAmount: '6250.00' },
        { currency: 'USD', deals: 1, amount: '800.00', weightedAmount: '400.00' },
      ],
    },
  ],
  totals: [
    { currency: 'EUR', deals: 3, amount: '15500.00', weightedAmount: '6550.00' },
    { currency: 'USD', deals: 1, amount: '800.00', weightedAmount: '400.00' },
  ],
};

export const pipelineCsvExample = csv(
  'stage,position,probability,currency,deals,amount,weighted_amount',
  'Qualification,0,10,EUR,2,3000.00,300.00',
  'Proposal,2,50,EUR,1,12500.00,6250.00',
  'Proposal,2,50,USD,1,800.00,400.00',
);

export const funnelReportExample: Out<typeof FunnelReport> = {
  ...range,
  steps: [
    { step: 'lead', count: 120, conversionRate: null },
    { step: 'contact', count: 30, conversionRate: 25 },
    { step: 'deal', count: 12, conversionRate: 40 },
    { step: 'won', count: 5, conversionRate: 41.7 },
  ],
  overallConversionRate: 4.2,
};

export const funnelCsvExample = csv(
  'step,count,conversion_rate',
  'lead,120,',
  'contact,30,25',
  'deal,12,40',
  'won,5,41.7',
);

export const winRateReportExample: Out<typeof WinRateReport> = {
  ...range,
  won: 6,
  lost: 8,
  winRate: 42.9,
  averageSalesCycleDays: 23.5,
};

export const winRateCsvExample = csv(
  'from,to,won,lost,win_rate,average_sales_cycle_days',
  '2026-10-01,2026-12-31,6,8,42.9,23.5',
);

export const revenueReportExample: Out<typeof RevenueReport> = {
  ...range,
  period: 'month',
  periods: [
    { period: '2026-10', start: '2026-10-01', end: '2026-10-31', totals: [] },
    {
      period: '2026-11',
      start: '2026-11-01',
      end: '2026-11-30',
      totals: [{ currency: 'EUR', deals: 2, amount: '18000.00' }],
    },
    {
      period: '2026-12',
      start: '2026-12-01',
      end: '2026-12-31',
      totals: [
        { currency: 'EUR', deals: 1, amount: '4500.00' },
        { currency: 'USD', deals: 1, amount: '1200.00' },
      ],
    },
  ],
  totals: [
    { currency: 'EUR', deals: 3, amount: '22500.00' },
    { currency: 'USD', deals: 1, amount: '1200.00' },
  ],
};

export const revenueCsvExample = csv(
  'period,start,end,currency,deals,amount',
  '2026-10,2026-10-01,2026-10-31,,0,0.00',
  '2026-11,2026-11-01,2026-11-30,EUR,2,18000.00',
  '2026-12,2026-12-01,2026-12-31,EUR,1,4500.00',
  '2026-12,2026-12-01,2026-12-31,USD,1,1200.00',
);

export const leadSourcesReportExample: Out<typeof LeadSourcesReport> = {
  ...range,
  sources: [
    { source: 'web_form', leads: 80, converted: 12, conversionRate: 15 },
    { source: 'referral', leads: 30, converted: 15, conversionRate: 50 },
    { source: null, leads: 10, converted: 3, conversionRate: 30 },
  ],
  totals: { leads: 120, converted: 30, conversionRate: 25 },
};

export const leadSourcesCsvExample = csv(
  'source,leads,converted,conversion_rate',
  'web_form,80,12,15',
  'referral,30,15,50',
  ',10,3,30',
);

export const activityReportExample: Out<typeof ActivityReport> = {
  ...range,
  reps: [
    {
      userId: charlesId,
      name: 'Charles Babbage',
      email: 'charles@analytical.example',
      tasksDone: 14,
      calls: 22,
      meetings: 6,
      notes: 9,
      emails: 31,
      total: 82,
    },
    {
      userId: adaId,
      name: 'Ada Lovelace',
      email: 'ada@analytical.example',
      tasksDone: 8,
      calls: 5,
      meetings: 4,
      notes: 12,
      emails: 10,
      total: 39,
    },
  ],
  totals: { tasksDone: 22, calls: 27, meetings: 10, notes: 21, emails: 41, total: 121 },
};

export const activityCsvExample = csv(
  'user_id,name,email,tasks_done,calls,meetings,notes,emails,total',
  `${charlesId},Charles Babbage,charles@analytical.example,14,22,6,9,31,82`,
  `${adaId},Ada Lovelace,ada@analytical.example,8,5,4,12,10,39`,
);

export const leaderboardReportExample: Out<typeof LeaderboardReport> = {
  ...range,
  currency: 'EUR',
  reps: [
    {
      rank: 1,
      userId: charlesId,
      name: 'Charles Babbage',
      email: 'charles@analytical.example',
      wonRevenue: '18000.00',
      dealsWon: 2,
      activitiesLogged: 82,
    },
    {
      rank: 2,
      userId: adaId,
      name: 'Ada Lovelace',
      email: 'ada@analytical.example',
      wonRevenue: '4500.00',
      dealsWon: 2,
      activitiesLogged: 39,
    },
  ],
};

export const leaderboardCsvExample = csv(
  'rank,user_id,name,email,currency,won_revenue,deals_won,activities_logged',
  `1,${charlesId},Charles Babbage,charles@analytical.example,EUR,18000.00,2,82`,
  `2,${adaId},Ada Lovelace,ada@analytical.example,EUR,4500.00,2,39`,
);
