import type { Handlers, RouteConfig } from '../web/route.ts';

export const config: RouteConfig = { public: true };

/** POST only (with the form's CSRF token): revokes the session's refresh tokens, then drops the cookies. */
export const handler: Handlers = {
  async POST(ctx) {
    if (ctx.me) await ctx.api('/api/v1/auth/logout', { method: 'POST' });
    ctx.signOut();
    return ctx.redirect('/login');
  },
};
