import { errorResponse, errorResponses, failureResponse } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';

/** The 400s a deal write may answer: validation, and references that are not records of the organization. */
export const dealWriteBadRequest = errorResponse(
  'The request is malformed, fails validation, or names an unknown record',
  {
    ...errorResponses[400].content['application/json'].examples,
    unknown_pipeline: {
      summary: 'pipelineId is not a pipeline of the organization',
      value: errorExample('unknown_pipeline', 'pipelineId is not a pipeline of this organization', [
        { path: 'pipelineId', message: 'Not a pipeline of this organization' },
      ]),
    },
    stage_not_in_pipeline: {
      summary: 'stageId is not a stage of the pipeline',
      value: errorExample('stage_not_in_pipeline', 'stageId is not a stage of the pipeline', [
        { path: 'stageId', message: 'Not a stage of pipeline 0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e' },
      ]),
    },
    unknown_contact: {
      summary: 'contactId is not a contact the caller may see',
      value: errorExample('unknown_contact', 'contactId is not a contact of this organization', [
        { path: 'contactId', message: 'Not a contact of this organization' },
      ]),
    },
    unknown_company: {
      summary: 'companyId is not a company of the organization',
      value: errorExample('unknown_company', 'companyId is not a company of this organization', [
        { path: 'companyId', message: 'Not a company of this organization' },
      ]),
    },
    unknown_owner: {
      summary: 'ownerId is not an active user',
      value: errorExample('unknown_owner', 'ownerId is not an active user of this organization', [
        { path: 'ownerId', message: 'Not an active user of this organization' },
      ]),
    },
  },
);

export const dealPreconditionFailed = failureResponse(
  'If-Match no longer matches: someone changed the deal first',
  'precondition_failed',
  'The deal changed since you read it; read it again and retry',
);

export const dealHeaders = {
  ETag: {
    description: 'The version of the deal; send it back in If-Match (writes) or If-None-Match (reads)',
    schema: { type: 'string' as const, example: '"v1"' },
  },
};

export const dealCreatedHeaders = {
  ...dealHeaders,
  Location: {
    description: 'The URL of the new deal',
    schema: { type: 'string' as const, example: '/api/v1/deals/0193a5f8-7a81-7b2c-9d3e-4f5a6b7c8d9e' },
  },
  'Idempotent-Replayed': {
    description: 'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string' as const, enum: ['true'] },
  },
};
