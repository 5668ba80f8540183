import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { EmailSchema, emailExample, SendEmailInput, sendEmailInputExample } from '../../schemas/emails.ts';
import { idempotencyHeaders } from '../responses.ts';

export const sendEmailRoute = createRoute({
  method: 'post',
  path: '/api/v1/emails',
  operationId: 'sendEmail',
  tags: ['emails'],
  summary: 'Email a contact',
  description:
    "Queues one email to the contact's address and logs it as an outbound `email` activity on the contact's timeline, in one transaction; the email worker sends it (follow `status` with `GET /api/v1/emails/{id}`). Needs `emails:send` and sight of the contact. An address that bounced or complained is refused with 409; an unsubscribe does not stop a one-off email, only bulk ones. With an Idempotency-Key, a retried request returns the first answer.",
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(SendEmailInput, 'The email', sendEmailInputExample) },
  responses: {
    202: jsonResponse(EmailSchema, 'Queued', emailExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: failureResponse(
      'The address is on the suppression list',
      'address_suppressed',
      'ada@analytical.example is suppressed (bounced); no email is sent to it',
    ),
    422: failureResponse(
      'The contact has no email address, or the Idempotency-Key was used with another body',
      'contact_has_no_email',
      'The contact has no email address',
    ),
  },
});
