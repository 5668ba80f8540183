import type { CookieOptions } from 'hono/utils/cookie';
import type { VNode } from 'preact';
import type { ApiCaller } from './api.ts';

/** What GET /api/v1/me answers: who is signed in, in which organization, allowed to do what. */
export type Me = {
  principal: 'user' | 'api_key';
  user: {
    id: string;
    email: string;
    name: string;
    role: string;
    /** Display preferences (Settings › Profile); see web/display.ts. */
    timeZone?: string;
    dateFormat?: string;
  } | null;
  organization: { id: string; name: string; slug: string; homeRegion: string };
  role: string;
  permissions: string[];
  /** The user's multi-factor authentication (null for an API key). */
  mfa?: { enabled: boolean; recoveryCodesLeft: number; organizationRequiresMfa: boolean } | null;
  /** The organization requires MFA and this user has none: every page sends them to enrol first (web/mount.ts). */
  mfaEnrolmentRequired?: boolean;
};

export type RenderOptions = { status?: number; title?: string };

/** What a route's handler gets, Fresh-style: the request, the API as the signed-in user, render and redirect. */
export type RouteContext<Data = unknown> = {
  request: Request;
  url: URL;
  params: Record<string, string>;
  /** The public API, called through this edge (same authentication, rate limits and region routing). */
  api: ApiCaller;
  me: Me | null;
  /** The deployment's region names (sign-up offers them). */
  regions: string[];
  /** The synchroniser token every form posts back as `_csrf` (the edge checks it against its cookie). */
  csrf: string;
  render(data?: Data, options?: RenderOptions): Response;
  redirect(to: string, status?: 303 | 302): Response;
  /** The posted form, read once; its `_csrf` field was already checked. */
  form(): Promise<FormData>;
  /** Whether the browser reached the edge over https (Secure cookies and their `__Secure-` names). */
  secure: boolean;
  /** A cookie the browser sent with this request (the session's are read by the edge itself). */
  cookie(name: string): string | undefined;
  /** Sets a cookie of the page's own on the answer (`maxAge: 0` clears it). */
  setCookie(name: string, value: string, options: CookieOptions): void;
  /** Signs the browser in with tokens from login or sign-up (httpOnly cookies). */
  signIn(tokens: { accessToken: string; refreshToken: string; expiresIn: number }): void;
  signOut(): void;
};

export type Handler<Data> = (ctx: RouteContext<Data>) => Response | Promise<Response>;
export type Handlers<Data = unknown> = { GET?: Handler<Data>; POST?: Handler<Data> };

export type PageProps<Data = unknown> = {
  data: Data;
  url: URL;
  params: Record<string, string>;
  me: Me | null;
  csrf: string;
};

/**
 * `public: true` pages render for visitors who are not signed in (login, sign-up). `crossSitePost: true` pages take
 * a POST without the CSRF token: only an endpoint another site posts to by design (the SAML ACS), whose body
 * authenticates itself.
 */
export type RouteConfig = { public?: boolean; crossSitePost?: boolean };

export type RouteModule = {
  default?: (props: PageProps<never>) => VNode | null;
  handler?: Handlers<never>;
  config?: RouteConfig;
};
