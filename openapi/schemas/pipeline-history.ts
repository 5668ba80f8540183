import { z } from '@hono/zod-openapi';
import { reportQueryFields } from './analytics.ts';

/** The pipeline-history report: the pipeline as it stood at the end of each UTC day (daily snapshots). */
export const PipelineHistoryQuery = z.object({
  from: reportQueryFields.from,
  to: reportQueryFields.to,
  ownerId: reportQueryFields.ownerId,
  format: reportQueryFields.format,
  pipelineId: z
    .uuid()
    .optional()
    .openapi({
      param: {
        name: 'pipelineId',
        in: 'query',
        description: "The pipeline to report on; defaults to the organization's default pipeline",
      },
      example: '0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f',
    }),
});

const Money = z
  .string()
  .openapi({ description: 'A decimal amount, exact to the cent, as a string', example: '12500.00' });

const HistoryTotals = z
  .object({
    currency: z.string().openapi({ description: 'ISO 4217 currency code', example: 'EUR' }),
    deals: z.number().int().openapi({ description: 'Deals open in the stage at the end of the day' }),
    amount: Money,
    weightedAmount: Money.openapi({
      description: "Sum of amount × the stage's current probability / 100",
      example: '6250.00',
    }),
  })
  .openapi('PipelineHistoryTotals');

export const PipelineHistory = z
  .object({
    from: z.iso.date().openapi({ description: 'First day of the range (UTC)', example: '2026-10-01' }),
    to: z.iso.date().openapi({ description: 'Last day of the range, inclusive (UTC)', example: '2026-10-02' }),
    timeZone: z.string().openapi({ description: 'Always UTC: snapshots are taken per UTC day', example: 'UTC' }),
    ownerId: z.uuid().nullable().openapi({ description: 'Whose deals these are; null for the whole organization' }),
    pipeline: z.object({ id: z.uuid(), name: z.string() }),
    stages: z
      .array(
        z.object({
          stageId: z.uuid(),
          name: z.string(),
          position: z.number().int(),
          probability: z.number().int().openapi({ description: 'Win probability of the stage, percent' }),
        }),
      )
      .openapi({ description: 'The open stages (and any closed one a deal sat in while open), in order' }),
    days: z.array(
      z.object({
        day: z.iso.date(),
        stages: z.array(
          z.object({
            stageId: z.uuid(),
            totals: z.array(HistoryTotals).openapi({ description: 'One entry per currency; empty for an empty stage' }),
          }),
        ),
        totals: z.array(HistoryTotals),
      }),
    ),
  })
  .openapi('PipelineHistory');
