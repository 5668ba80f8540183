import { createRoute, type z } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { PipelineHistory, PipelineHistoryQuery } from '../../schemas/pipeline-history.ts';

const qualification = '0193a5f7-7b8c-7d9e-8f0a-1b2c3d4e5f6a';
const proposal = '0193a5f7-8c9d-7e0f-9a1b-2c3d4e5f6a7b';

export const pipelineHistoryExample: z.output<typeof PipelineHistory> = {
  from: '2026-10-01',
  to: '2026-10-02',
  timeZone: 'UTC',
  ownerId: null,
  pipeline: { id: '0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f', name: 'Sales' },
  stages: [
    { stageId: qualification, name: 'Qualification', position: 0, probability: 10 },
    { stageId: proposal, name: 'Proposal', position: 2, probability: 50 },
  ],
  days: [
    {
      day: '2026-10-01',
      stages: [
        {
          stageId: qualification,
          totals: [{ currency: 'EUR', deals: 3, amount: '4500.00', weightedAmount: '450.00' }],
        },
        { stageId: proposal, totals: [] },
      ],
      totals: [{ currency: 'EUR', deals: 3, amount: '4500.00', weightedAmount: '450.00' }],
    },
    {
      day: '2026-10-02',
      stages: [
        {
          stageId: qualification,
          totals: [{ currency: 'EUR', deals: 2, amount: '3000.00', weightedAmount: '300.00' }],
        },
        { stageId: proposal, totals: [{ currency: 'EUR', deals: 1, amount: '1500.00', weightedAmount: '750.00' }] },
      ],
      totals: [{ currency: 'EUR', deals: 3, amount: '4500.00', weightedAmount: '1050.00' }],
    },
  ],
};

const csvExample = `${[
  'day,stage,position,probability,currency,deals,amount,weighted_amount',
  '2026-10-01,Qualification,0,10,EUR,3,4500.00,450.00',
  '2026-10-01,Proposal,2,50,,0,0.00,0.00',
  '2026-10-02,Qualification,0,10,EUR,2,3000.00,300.00',
  '2026-10-02,Proposal,2,50,EUR,1,1500.00,750.00',
].join('\r\n')}\r\n`;

export const pipelineHistoryRoute = createRoute({
  method: 'get',
  path: '/api/v1/analytics/pipeline-history',
  operationId: 'getPipelineHistory',
  tags: ['analytics'],
  summary: 'Pipeline snapshots per day',
  description:
    "The pipeline (`pipelineId`, default the default pipeline) as it stood at the end of each UTC day from `from` to `to` (days after today are left out): per stage and currency, the deals open in that stage, their amount and their weighted amount (amount × the stage's probability / 100). A deal's stage on a day comes from its stage history; its amount, currency and owner are its current ones, so a backfill and the live snapshots agree. The analyzer worker keeps daily snapshots; days it has not built yet, or while it is behind, are computed from the deals, with the same answer. The range defaults to the last 30 days and may span at most 3 years. Needs reports:view: managers, admins, viewers and API keys with that scope see the whole organization, or one owner's deals with `ownerId`; a sales rep sees only their own (another `ownerId` is a 403). `format=csv` or `Accept: text/csv` downloads a CSV file instead (needs reports:export). An unknown pipeline is a 404.",
  security: [{ bearerAuth: [] }],
  request: { query: PipelineHistoryQuery },
  responses: {
    200: {
      description: 'The snapshots: JSON, or a CSV file with format=csv or Accept: text/csv',
      headers: {
        'Content-Disposition': {
          description: 'On CSV answers: `attachment; filename="pipeline-history-<from>-<to>.csv"`',
          schema: {
            type: 'string' as const,
            example: 'attachment; filename="pipeline-history-2026-10-01-2026-10-02.csv"',
          },
        },
      },
      content: {
        'application/json': { schema: PipelineHistory, example: pipelineHistoryExample },
        'text/csv': { schema: { type: 'string' as const }, example: csvExample },
      },
    },
    ...pick(400, 401, 403, 404, 429),
  },
});
