import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  AddressParam,
  SuppressionInput,
  SuppressionList,
  SuppressionListQuery,
  SuppressionSchema,
  suppressionExample,
  suppressionInputExample,
} from '../../schemas/emails.ts';
import { noContent } from '../responses.ts';

export const listSuppressionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/email-suppressions',
  operationId: 'listEmailSuppressions',
  tags: ['emails'],
  summary: "The organization's suppression list",
  description:
    'Addresses that get no more email, by address, with keyset pagination. Bounces are added by the email worker, unsubscribes by the link in campaign emails. Needs `emails:manage`.',
  security: [{ bearerAuth: [] }],
  request: { query: SuppressionListQuery },
  responses: {
    200: jsonResponse(SuppressionList, 'A page of suppressions', { data: [suppressionExample], nextCursor: null }),
    ...pick(400, 401, 403, 429),
  },
});

export const addSuppressionRoute = createRoute({
  method: 'post',
  path: '/api/v1/email-suppressions',
  operationId: 'addEmailSuppression',
  tags: ['emails'],
  summary: 'Suppress an address',
  description:
    'For a complaint or a bounce reported outside SMTP, or an unsubscribe received another way (an `unsubscribed` entry also withdraws the marketing consent of contacts with the address). Adding one that exists changes nothing. Needs `emails:manage`.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(SuppressionInput, 'The address and why', suppressionInputExample) },
  responses: {
    200: jsonResponse(SuppressionSchema, 'Suppressed (possibly already)', {
      ...suppressionExample,
      reason: 'complained',
      detail: 'Complaint forwarded by the mailbox provider',
    }),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});

export const removeSuppressionRoute = createRoute({
  method: 'delete',
  path: '/api/v1/email-suppressions/{address}',
  operationId: 'removeEmailSuppression',
  tags: ['emails'],
  summary: 'Take an address off the suppression list',
  description:
    'Removes every suppression of the address (say, after a mailbox that bounced was fixed, or a person subscribed again). Bulk email still needs the contact’s marketing consent. Audited. Needs `emails:manage`.',
  security: [{ bearerAuth: [] }],
  request: { params: AddressParam },
  responses: {
    204: noContent('Removed'),
    ...pick(400, 401, 403, 404, 429),
  },
});
