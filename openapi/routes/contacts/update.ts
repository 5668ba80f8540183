import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { ContactPatch, ContactSchema, contactPatchExample, updatedContactExample } from '../../schemas/contacts.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateContactRoute = createRoute({
  method: 'patch',
  path: '/api/v1/contacts/{id}',
  operationId: 'updateContact',
  tags: ['contacts'],
  summary: 'Change a contact',
  description:
    'Send only the fields to change; `null` clears an optional one and `tags` are replaced whole. Turning `marketingEmailConsent` true needs a `consentSource` and records `consentGivenAt`; turning it false withdraws consent and clears both; each change lands in the audit log with its source. Send If-Match with the ETag you last read so a concurrent change is not overwritten (412 if it was).',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(ContactPatch, 'The fields to change', contactPatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: { 'application/json': { schema: ContactSchema, example: updatedContactExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches: someone changed the contact first',
      'precondition_failed',
      'The contact changed since you read it; read it again and retry',
    ),
  },
});
