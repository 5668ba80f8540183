import { createRoute } from '@hono/zod-openapi';
import { ActivityInput, ActivitySchema, activityExample, activityInputExamples } from '../../schemas/activities.ts';
import { errorResponse, errorResponses, failureResponse, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { etagHeader, idempotencyHeaders } from '../responses.ts';

const linkRefusals = Object.fromEntries(
  ['lead', 'contact', 'company', 'deal'].map((thing) => [
    `unknown_${thing}`,
    {
      summary: `The ${thing} is not one the caller may see in this organization`,
      value: errorExample(`unknown_${thing}`, `${thing}Id is not a ${thing} you can see in this organization`, [
        { path: `${thing}Id`, message: `No such ${thing} visible to you` },
      ]),
    },
  ]),
);

export const createActivityRoute = createRoute({
  method: 'post',
  path: '/api/v1/activities',
  operationId: 'createActivity',
  tags: ['activities'],
  summary: 'Log an activity or create a task',
  description:
    "`type` decides which fields apply (task: dueAt, priority, done; call: durationSeconds, outcome; meeting: startsAt, endsAt, attendees; email: emailDirection, emailFrom, emailTo; note: none), and any other type's field is refused. Link it to at least one lead, contact, company or deal of your organization that you can see (sales reps: their own leads, contacts and deals; companies are shared). It is owned by its creator unless ownerId says otherwise. With an Idempotency-Key, a retried request returns the first answer instead of making a duplicate.",
  security: [{ bearerAuth: [] }],
  request: {
    headers: idempotencyHeaders,
    body: {
      required: true,
      description: 'The activity',
      content: { 'application/json': { schema: ActivityInput, examples: activityInputExamples } },
    },
  },
  responses: {
    201: {
      description: 'Created',
      headers: {
        ...etagHeader,
        Location: {
          description: 'The URL of the new activity',
          schema: { type: 'string' as const, example: `/api/v1/activities/${activityExample.id}` },
        },
        'Idempotent-Replayed': {
          description: 'Present (`true`) when this is the stored answer to an earlier request with the same key',
          schema: { type: 'string' as const, enum: ['true'] },
        },
      },
      content: { 'application/json': { schema: ActivitySchema, example: activityExample } },
    },
    400: errorResponse('The request fails validation, or links a record the caller cannot see', {
      ...errorResponses[400].content['application/json'].examples,
      ...linkRefusals,
    }),
    ...pick(401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
