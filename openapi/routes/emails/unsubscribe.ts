import { createRoute } from '@hono/zod-openapi';
import { errorResponse, jsonResponse, pick } from '../../schemas/common.ts';
import { UnsubscribeQuery, UnsubscribeResult, unsubscribeResultExample } from '../../schemas/emails.ts';
import { errorExample } from '../../schemas/examples.ts';

const description =
  'Needs no credentials: the signed token of the link in a campaign email says who. Adds the address to the organization’s suppression list (`unsubscribed`: no more bulk email) and withdraws the marketing consent of its contacts, with an audit entry each. Visiting again changes nothing.';

const invalidToken = errorResponse('The token is not one this service signed', {
  invalid_unsubscribe_token: {
    summary: 'Malformed or tampered token',
    value: errorExample('invalid_unsubscribe_token', 'This unsubscribe link is not valid'),
  },
});

const responses = {
  200: jsonResponse(UnsubscribeResult, 'Unsubscribed', unsubscribeResultExample),
  ...pick(400, 429),
};

export const unsubscribeLinkRoute = createRoute({
  method: 'get',
  path: '/api/v1/unsubscribe',
  operationId: 'unsubscribeByLink',
  tags: ['emails'],
  summary: 'Unsubscribe from bulk email (the link in the email)',
  description,
  security: [],
  request: { query: UnsubscribeQuery },
  responses: { ...responses, 400: invalidToken },
});

export const unsubscribeOneClickRoute = createRoute({
  method: 'post',
  path: '/api/v1/unsubscribe',
  operationId: 'unsubscribeOneClick',
  tags: ['emails'],
  summary: 'Unsubscribe from bulk email (one-click, RFC 8058)',
  description: `${description} Mail clients POST here from the email's \`List-Unsubscribe\` header, with the form body \`List-Unsubscribe=One-Click\`, which is accepted and not needed.`,
  security: [],
  request: { query: UnsubscribeQuery },
  responses: { ...responses, 400: invalidToken },
});
