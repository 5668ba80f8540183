import type { OpenAPIHono } from '@hono/zod-openapi';
import { listNotificationsRoute } from '../../openapi/routes/notifications/list.ts';
import {
  getNotificationPreferencesRoute,
  updateNotificationPreferencesRoute,
} from '../../openapi/routes/notifications/preferences.ts';
import { readNotificationRoute } from '../../openapi/routes/notifications/read.ts';
import { readAllNotificationsRoute } from '../../openapi/routes/notifications/read-all.ts';
import { notificationStreamRoute } from '../../openapi/routes/notifications/stream.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { eventStreamResponse } from '../support/event-stream.ts';
import { listNotifications } from './list.ts';
import { getNotificationPreferences, updateNotificationPreferences } from './preferences.ts';
import { markAllNotificationsRead, markNotificationRead } from './read.ts';
import { openNotificationStream, streamSettings } from './stream.ts';

export function registerNotificationRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listNotificationsRoute, async (c) =>
    c.json(await listNotifications(ctx, actorOf(c), c.req.valid('query')), 200),
  );
  app.openapi(readAllNotificationsRoute, async (c) => c.json(await markAllNotificationsRead(ctx, actorOf(c)), 200));
  app.openapi(readNotificationRoute, async (c) =>
    c.json(await markNotificationRead(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(getNotificationPreferencesRoute, async (c) =>
    c.json(await getNotificationPreferences(ctx, actorOf(c)), 200),
  );
  app.openapi(updateNotificationPreferencesRoute, async (c) =>
    c.json(await updateNotificationPreferences(ctx, actorOf(c), c.req.valid('json')), 200),
  );
  app.openapi(notificationStreamRoute, async (c) => {
    const resumeAt = c.req.valid('header')['last-event-id'] ?? c.req.valid('query').lastEventId;
    const stream = await openNotificationStream(
      ctx,
      actorOf(c),
      resumeAt === undefined ? null : Number(resumeAt),
      c.req.raw.signal,
      streamSettings(),
    );
    return eventStreamResponse(stream) as never;
  });
}
