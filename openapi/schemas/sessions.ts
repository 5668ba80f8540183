import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';

export const SessionSchema = z
  .object({
    id: z.uuid().openapi({ description: 'The session (refresh-token family) id; access tokens carry it as `sid`' }),
    createdAt: Timestamp.openapi({ description: 'When the user signed in' }),
    lastUsedAt: Timestamp.openapi({ description: 'When the session last refreshed its tokens (or signed in)' }),
    expiresAt: Timestamp.openapi({ description: 'When it ends unless refreshed before' }),
    ip: z.string().nullable().openapi({ example: '203.0.113.7' }),
    userAgent: z.string().nullable().openapi({ example: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)' }),
    current: z.boolean().openapi({ description: 'True for the session this request was made with' }),
  })
  .openapi('Session');

export const SessionList = z.object({ data: z.array(SessionSchema) }).openapi('SessionList');

export const SessionsRevoked = z
  .object({ revoked: z.number().int().min(0).openapi({ description: 'How many sessions were ended', example: 2 }) })
  .openapi('SessionsRevoked');

export const sessionListExample: z.output<typeof SessionList> = {
  data: [
    {
      id: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e',
      createdAt: '2026-11-25T08:02:11.000Z',
      lastUsedAt: '2026-11-25T15:06:50.000Z',
      expiresAt: '2026-12-02T15:06:50.000Z',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)',
      current: true,
    },
  ],
};
