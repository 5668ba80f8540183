import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  BulkEmailInput,
  BulkEmailResult,
  bulkEmailInputExample,
  bulkEmailResultExample,
} from '../../schemas/emails.ts';
import { idempotencyHeaders } from '../responses.ts';

export const bulkEmailRoute = createRoute({
  method: 'post',
  path: '/api/v1/emails/bulk',
  operationId: 'sendBulkEmail',
  tags: ['emails'],
  summary: 'Email many contacts (a campaign)',
  description:
    "Admins and managers (`emails:manage`). Selects contacts by ids or by the contact list's filters and queues one email per address, to contacts with marketing consent only, never to a suppressed address (bounced, complained, unsubscribed); the answer counts who was skipped and why. Each email carries a signed unsubscribe link (and `List-Unsubscribe` headers for one-click unsubscribe). Sending is throttled per organization. With an Idempotency-Key, a retried request returns the first answer instead of sending twice.",
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(BulkEmailInput, 'The campaign', bulkEmailInputExample) },
  responses: {
    202: jsonResponse(BulkEmailResult, 'Queued', bulkEmailResultExample),
    ...pick(400, 401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
