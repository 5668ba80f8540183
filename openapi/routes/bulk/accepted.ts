import { BulkJobSchema, bulkJobExample } from '../../schemas/bulk.ts';

/** What every bulk endpoint says of its larger selections. */
export const bulkAsyncNote =
  ' Up to 500 records are changed within the request (200 with the results). More, or any selection with `"mode": "async"`, become a bulk job run in the background in the same chunks of 500: 202 with the job, whose URL is in `Location`; poll GET /api/v1/bulk-jobs/{id} for progress and, once it is done, the results, or cancel it with POST /api/v1/bulk-jobs/{id}/cancel.';

/** The 202 of a bulk action that became a job. */
export const bulkAccepted = {
  description: 'The bulk job, queued',
  headers: {
    Location: {
      description: 'The URL of the bulk job',
      schema: { type: 'string' as const, example: `/api/v1/bulk-jobs/${bulkJobExample.id}` },
    },
  },
  content: {
    'application/json': {
      schema: BulkJobSchema,
      example: {
        ...bulkJobExample,
        status: 'queued' as const,
        processed: 0,
        updated: 0,
        unchanged: 0,
        startedAt: null,
      },
    },
  },
};
