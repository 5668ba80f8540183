import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { ContactInput, ContactSchema, contactExample, contactInputExample } from '../../schemas/contacts.ts';
import { createdHeadersFor } from '../companies/responses.ts';
import { idempotencyHeaders } from '../responses.ts';

export const createContactRoute = createRoute({
  method: 'post',
  path: '/api/v1/contacts',
  operationId: 'createContact',
  tags: ['contacts'],
  summary: 'Create a contact',
  description:
    "Give at least a name, an email or a phone number. `companyId` must be a company of this organization (400 `unknown_company` otherwise). Giving marketing consent (`marketingEmailConsent: true`) needs a `consentSource`; the server records when (`consentGivenAt`) and writes the consent to the audit log. A sales rep's new contact is theirs. With an Idempotency-Key, a retried request returns the first answer instead of making a duplicate.",
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(ContactInput, 'The contact', contactInputExample) },
  responses: {
    201: {
      description: 'Created',
      headers: createdHeadersFor('contact', '/api/v1/contacts/0193a5f8-7b8c-7d9e-8f0a-2b3c4d5e6f7a'),
      content: { 'application/json': { schema: ContactSchema, example: contactExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
