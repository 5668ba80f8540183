import { createRoute } from '@hono/zod-openapi';
import {
  AvailabilityInput,
  AvailabilitySchema,
  availabilityExample,
  availabilityInputExample,
} from '../../schemas/assignment-rules.ts';
import { IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';

export const getAvailabilityRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/{id}/availability',
  operationId: 'getUserAvailability',
  tags: ['users'],
  summary: "A member's availability for new leads",
  description:
    'Whether lead dispatch may give them new leads now: not away, and below their open-lead limit. Needs users:read.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(AvailabilitySchema, 'Their availability', availabilityExample),
    ...pick(400, 401, 403, 404, 429),
  },
});

export const setAvailabilityRoute = createRoute({
  method: 'put',
  path: '/api/v1/users/{id}/availability',
  operationId: 'setUserAvailability',
  tags: ['users'],
  summary: "Set a member's availability for new leads",
  description:
    "Anyone may set their own; admins and managers anyone's. Replaces the whole setting: an away rep gets no new leads (until awayUntil, which must lie ahead, if given), and a rep at maxOpenLeads open leads (new, contacted or qualified) gets none until some close. Leads they own stay theirs.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(AvailabilityInput, 'The availability', availabilityInputExample) },
  responses: {
    200: jsonResponse(AvailabilitySchema, 'Set', availabilityExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
  },
});
