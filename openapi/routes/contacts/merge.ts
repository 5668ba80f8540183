import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { ContactSchema, updatedContactExample } from '../../schemas/contacts.ts';
import { ContactMergeInput, contactMergeInputExample } from '../../schemas/duplicates.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const mergeContactRoute = createRoute({
  method: 'post',
  path: '/api/v1/contacts/{id}/merge',
  operationId: 'mergeContact',
  tags: ['contacts'],
  summary: 'Merge a duplicate contact into this one',
  description:
    "In one transaction: this contact (the primary) takes the values chosen in `fields` from the duplicate (an unnamed field keeps the primary's value unless it is empty; marketing consent moves with its time and source) and the union of both contacts' tags; every activity, deal and attachment of the duplicate, and every lead converted into it, moves to the primary; the duplicate is deleted. Needs contacts:update and contacts:delete. A duplicate the caller cannot see answers 404. Send If-Match with the primary's ETag to merge into the version you saw.",
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(ContactMergeInput, 'The duplicate and which values to keep', contactMergeInputExample),
  },
  responses: {
    200: {
      description: 'Merged: the primary contact as it is now',
      headers: etagHeader,
      content: {
        'application/json': {
          schema: ContactSchema,
          example: updatedContactExample,
        },
      },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches the primary',
      'precondition_failed',
      'The contact changed since you read it; read it again and retry',
    ),
  },
});
