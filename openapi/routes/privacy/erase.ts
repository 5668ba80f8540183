import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { ErasureSchema, erasureExample, PersonParams } from '../../schemas/privacy.ts';

export const erasePersonRoute = createRoute({
  method: 'post',
  path: '/api/v1/privacy/people/{type}/{id}/erase',
  operationId: 'erasePerson',
  tags: ['privacy'],
  summary: "Erase a person's data",
  description:
    "The right to erasure, for admins (data:erase): in one transaction the record and its converted counterpart are anonymised (names become 'Erased', contact details, tags and custom fields removed), their activities lose their texts and email addresses, their attachments are deleted, and the audit and outbox rows about them keep only action, target and time. The records stay as tombstones; erasing again is harmless. Audited as privacy.erased.",
  security: [{ bearerAuth: [] }],
  request: { params: PersonParams },
  responses: {
    200: jsonResponse(ErasureSchema, 'What was erased', erasureExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
