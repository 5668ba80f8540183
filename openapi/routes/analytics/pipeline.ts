import { PipelineReport, PipelineReportQuery } from '../../schemas/analytics.ts';
import { pipelineCsvExample, pipelineReportExample } from './examples.ts';
import { reportRoute } from './report-route.ts';

export const pipelineReportRoute = reportRoute({
  name: 'pipeline',
  operationId: 'getPipelineReport',
  summary: 'Open pipeline value by stage',
  description:
    'The open deals of a pipeline (`pipelineId`, default the default pipeline) that were created in the range, as they stand now: per stage and currency, how many, their total amount and their weighted amount (amount × stage probability / 100). Every open stage is listed, empty ones too; an unknown pipeline is a 404.',
  query: PipelineReportQuery,
  schema: PipelineReport,
  example: pipelineReportExample,
  csvExample: pipelineCsvExample,
  notFound: true,
});
