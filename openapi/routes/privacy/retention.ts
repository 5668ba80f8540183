import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { RetentionPatch, RetentionSchema, retentionExample, retentionPatchExample } from '../../schemas/privacy.ts';

export const getRetentionRoute = createRoute({
  method: 'get',
  path: '/api/v1/organization/retention',
  operationId: 'getRetention',
  tags: ['privacy'],
  summary: 'Read the retention period',
  description:
    'How many days personal data is kept: an hourly job erases leads and contacts not updated for that long and deletes older activities. Admins only.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(RetentionSchema, 'The retention period', retentionExample),
    ...pick(401, 403, 429),
  },
});

export const updateRetentionRoute = createRoute({
  method: 'patch',
  path: '/api/v1/organization/retention',
  operationId: 'updateRetention',
  tags: ['privacy'],
  summary: 'Change the retention period',
  description:
    'Between 30 and 36500 days (default 2557, about seven years). Shortening it makes the next retention run erase what is now past it. Admins only; audited.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(RetentionPatch, 'The new period', retentionPatchExample) },
  responses: {
    200: jsonResponse(RetentionSchema, 'The retention period now in force', { retentionDays: 1825 }),
    ...pick(400, 401, 403, 429),
  },
});
