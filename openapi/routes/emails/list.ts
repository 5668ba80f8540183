import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { EmailList, EmailListQuery, EmailSchema, emailExample, sentEmailExample } from '../../schemas/emails.ts';

export const listEmailsRoute = createRoute({
  method: 'get',
  path: '/api/v1/emails',
  operationId: 'listEmails',
  tags: ['emails'],
  summary: 'Emails the organization sent or is sending',
  description:
    'Newest first, with keyset pagination. Admins and managers (`emails:manage`) see every email; members with `emails:send` only those they sent themselves.',
  security: [{ bearerAuth: [] }],
  request: { query: EmailListQuery },
  responses: {
    200: jsonResponse(EmailList, 'A page of emails', { data: [sentEmailExample], nextCursor: null }),
    ...pick(400, 401, 403, 429),
  },
});

export const getEmailRoute = createRoute({
  method: 'get',
  path: '/api/v1/emails/{id}',
  operationId: 'getEmail',
  tags: ['emails'],
  summary: 'One email and how its sending went',
  description: 'Visible as in the list: to `emails:manage`, or to the member who sent it; otherwise 404.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(EmailSchema, 'The email', { ...emailExample, status: 'sent', attempts: 1 }),
    ...pick(401, 403, 404, 429),
  },
});
