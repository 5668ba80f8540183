import type { OpenAPIHono } from '@hono/zod-openapi';
import type { RegionContext } from '../context.ts';
import type { RegionEnv } from '../support/actor.ts';

export function registerDealRoutes(_app: OpenAPIHono<RegionEnv>, _ctx: RegionContext) {}
