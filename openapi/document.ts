import { OpenAPIHono } from '@hono/zod-openapi';
import { publicOperations } from './catalog.ts';
import { publicFormRoutes } from './routes/forms/index.ts';

export const documentConfig = {
  openapi: '3.1.0',
  info: {
    title: 'CRM API',
    version: '1.0.0',
    description:
      'The public REST API of the multi-tenant CRM. Sign up or log in for an access token and send it as `Authorization: Bearer …` (an API key works the same way); operations that need no credentials say so with an empty `security`. Every error is one JSON envelope: `{ "error": { "code", "message", "requestId", "details"? } }`. Requests are limited per organization and per IP (see the `RateLimit-*` headers).',
    license: { name: 'MIT', identifier: 'MIT' },
    contact: { name: 'CRM maintainers', url: 'https://example.com/crm' },
  },
  servers: [{ url: 'http://127.0.0.1:8787', description: 'Local edge started by npm start' }],
  tags: [
    { name: 'auth', description: 'Sign-up, sign-in, tokens and the caller' },
    { name: 'leads', description: 'Leads, scored on every write' },
    { name: 'companies', description: 'Companies (accounts) and what hangs off them' },
    { name: 'contacts', description: 'People, their consent and their 360° view' },
    { name: 'pipelines', description: 'Sales pipelines and their ordered stages' },
    { name: 'deals', description: 'Deals moving through a pipeline, with every stage change recorded' },
    { name: 'activities', description: 'Tasks, calls, meetings, notes and logged emails' },
    { name: 'search', description: 'One search box over leads, contacts, companies and deals' },
    { name: 'audit', description: 'Who changed what, when and from where' },
    { name: 'analytics', description: 'Reports on the pipeline, conversion, revenue and activity, as JSON or CSV' },
    { name: 'attachments', description: 'Files attached to leads, contacts, companies, deals and activities' },
    { name: 'imports', description: 'CSV imports of leads, contacts and companies, run in the background' },
    { name: 'bulk-jobs', description: 'Bulk actions too large for one request, run in the background' },
    { name: 'exports', description: 'Any list, with its filters, as a streamed CSV file' },
    { name: 'privacy', description: "GDPR: a person's data exported or erased, and how long data is kept" },
    { name: 'users', description: "The organization's users and their roles" },
    { name: 'sessions', description: 'Signed-in sessions: listed and ended by their user, or by an admin' },
    {
      name: 'mfa',
      description: 'Multi-factor authentication: authenticator codes, recovery codes, and organizations requiring it',
    },
    {
      name: 'sso',
      description: 'Single sign-on: OpenID Connect and SAML connections, verified email domains, requiring SSO',
    },
    { name: 'api-keys', description: 'Scoped keys for integrations' },
    {
      name: 'custom-fields',
      description: 'Custom fields of leads, contacts, companies and deals, defined per organization',
    },
    { name: 'saved-views', description: 'Named, optionally shared filters and sorts of the record lists' },
    {
      name: 'notifications',
      description: "The caller's notifications: the in-app list, a live stream (Server-Sent Events) and preferences",
    },
    {
      name: 'emails',
      description: 'Email to contacts, one at a time or as campaigns, with the suppression list and unsubscribe links',
    },
    {
      name: 'assignment-rules',
      description: 'Lead dispatch: the rules that assign new leads to reps, tried in order',
    },
    {
      name: 'scoring-rules',
      description: "Lead scoring: the organization's rules, and the recompute that rescores its leads when they change",
    },
    {
      name: 'webhooks',
      description: 'Signed outgoing webhooks with a delivery log, and inbound webhooks that create leads',
    },
    { name: 'forms', description: 'Lead-capture forms embedded in customer sites, and their public submissions' },
    {
      name: 'watches',
      description: 'Records and saved views a member watches: change notifications and saved-view digests',
    },
    {
      name: 'workflows',
      description: 'Automation: a trigger and ordered actions per workflow, a dry run, and a log of every run',
    },
    { name: 'jobs', description: 'Background jobs that failed every retry: admins list, retry or discard them' },
  ],
};

/** Registers every public operation on an app, so the document is made from exactly what the edge serves. */
export function registerDocumentation(app: OpenAPIHono<never>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /api/v1/auth/login, or an API key (`ck_…`)',
  });
}

/** The OpenAPI 3.1 document of the public API. */
export function buildOpenApiDocument() {
  const app = new OpenAPIHono();
  registerDocumentation(app as never);
  for (const { route } of publicOperations) app.openapi(route, (() => new Response()) as never);
  // Answered by the edge itself (edge/forms), not forwarded: documented, but not among publicOperations.
  for (const route of publicFormRoutes) app.openapi(route, (() => new Response()) as never);
  return app.getOpenAPI31Document(documentConfig as never);
}
