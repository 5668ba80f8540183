import { z } from '@hono/zod-openapi';
import { Instant, pageQuery } from './activities.ts';
import { Timestamp } from './common.ts';

export const actorTypes = ['user', 'api_key', 'system'] as const;

/** Actions are dotted lower-case names (`lead.updated`); one ending in a dot (`lead.`) is a prefix. */
const actionShape = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$/;

export const AuditEntrySchema = z
  .object({
    id: z.uuid(),
    actorType: z.enum(actorTypes).openapi({ description: 'Who acted: a user, an API key, or the system itself' }),
    actorId: z.uuid().nullable().openapi({ description: 'The user or API key id; null for the system' }),
    action: z.string().openapi({ example: 'lead.updated' }),
    targetType: z.string().openapi({ example: 'lead' }),
    targetId: z.uuid().nullable(),
    ip: z.string().nullable().openapi({ description: "The client's IP address as the edge saw it" }),
    userAgent: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()).nullable().openapi({
      description:
        'What changed: on an update `{ field: [before, after] }`, on a create the fields as written; null when nothing is recorded',
    }),
    createdAt: Timestamp,
  })
  .openapi('AuditEntry');

export const AuditLogPage = z
  .object({
    data: z.array(AuditEntrySchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('AuditLogPage');

export const AuditLogQuery = z.object({
  ...pageQuery,
  actorId: z
    .uuid()
    .optional()
    .openapi({
      param: { name: 'actorId', in: 'query', description: 'Only what this user or API key did' },
      example: '0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
    }),
  action: z
    .string()
    .max(100)
    .regex(actionShape, 'An action such as lead.updated, or a prefix ending in a dot such as lead.')
    .optional()
    .openapi({
      param: {
        name: 'action',
        in: 'query',
        description: 'An exact action (`lead.updated`), or a prefix ending in a dot (`lead.`) for every lead action',
      },
      example: 'lead.',
    }),
  targetType: z
    .string()
    .max(50)
    .regex(/^[a-z][a-z0-9_]*$/, 'A record type such as lead, user or activity')
    .optional()
    .openapi({
      param: { name: 'targetType', in: 'query', description: 'Only entries about this kind of record' },
      example: 'lead',
    }),
  targetId: z
    .uuid()
    .optional()
    .openapi({
      param: { name: 'targetId', in: 'query', description: 'Only entries about this record' },
      example: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
    }),
  from: Instant.optional().openapi({
    param: { name: 'from', in: 'query', description: 'Only entries made at or after this time' },
    example: '2026-11-01T00:00:00.000Z',
  }),
  to: Instant.optional().openapi({
    param: { name: 'to', in: 'query', description: 'Only entries made before this time' },
    example: '2026-12-01T00:00:00.000Z',
  }),
});

export const auditEntryExample: z.output<typeof AuditEntrySchema> = {
  id: '0193a5fa-8c9d-7e0f-9a1b-2c3d4e5f6a7b',
  actorType: 'user',
  actorId: '0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  action: 'lead.updated',
  targetType: 'lead',
  targetId: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  ip: '203.0.113.24',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15',
  changes: { status: ['new', 'qualified'] },
  createdAt: '2026-11-28T09:00:00.000Z',
};

export const auditLogExample: z.output<typeof AuditLogPage> = {
  data: [auditEntryExample],
  nextCursor: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWZhLThjOWQtN2UwZi05YTFiLTJjM2Q0ZTVmNmE3YiJ9',
};
