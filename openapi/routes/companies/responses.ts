import { errorResponse } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { createdHeaders } from '../responses.ts';

/** The headers of a 201, with Location describing the kind of record it points at. */
export const createdHeadersFor = (what: string, example: string) => ({
  ...createdHeaders,
  Location: { description: `The URL of the new ${what}`, schema: { type: 'string' as const, example } },
});

export const domainTakenResponse = errorResponse('Another company of the organization already has this domain', {
  domain_taken: {
    summary: 'The domain belongs to another company',
    value: errorExample(
      'domain_taken',
      'Company 0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f already has the domain analytical.example',
      [{ path: 'domain', message: 'Already the domain of company 0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f' }],
    ),
  },
});

export const relatedVisibility =
  'A sales rep sees only the ones they own; other roles see all. The company itself must exist in the organization (404 otherwise). Newest first; follow `nextCursor` until it is null.';
