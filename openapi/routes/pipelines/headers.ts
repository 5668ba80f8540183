import { etagHeader } from '../responses.ts';

export const pipelineCreatedHeaders = {
  ...etagHeader,
  Location: {
    description: 'The URL of the pipeline',
    schema: { type: 'string' as const, example: '/api/v1/pipelines/0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e' },
  },
  'Idempotent-Replayed': {
    description: 'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string' as const, enum: ['true'] },
  },
};
