import { z } from 'zod';
import {
  type NotificationLinkType,
  notificationLinkTypes,
  notificationTypes,
} from '../../db/schema/messaging-enums.ts';

/**
 * The emails the CRM sends, each a plain function from its data to a subject, a text and an HTML body. Every
 * value that reaches the HTML is escaped here, so no template can be made to inject markup; the data is checked
 * against the template's schema when the email is queued (typed) and again when it is rendered (it comes back
 * from the database), so a malformed row fails loudly instead of sending a broken message.
 */
export type RenderedEmail = { subject: string; text: string; html: string; headers: Record<string, string> };

export type RenderContext = { publicBaseUrl: string };

const Link = z
  .object({ type: z.enum(notificationLinkTypes), id: z.uuid() })
  .nullable()
  .optional();
const Notice = z.object({
  type: z.enum(notificationTypes),
  title: z.string(),
  body: z.string().default(''),
  link: Link,
});
const Person = { firstName: z.string().default(''), lastName: z.string().default('') };

const schemas = {
  notification: Notice,
  task_reminder: Notice.extend({ dueAt: z.iso.datetime({ offset: true }).nullable().optional() }),
  webhook_disabled: Notice.extend({
    url: z.string().optional(),
    failures: z.number().int().optional(),
    lastError: z.string().optional(),
  }),
  campaign: z.object({ subject: z.string(), text: z.string(), unsubscribeToken: z.string().min(1), ...Person }),
  transactional: z.object({ subject: z.string(), text: z.string(), ...Person }),
  password_reset: z.object({
    name: z.string().default(''),
    token: z.string().min(1),
    expiresInMinutes: z.number().int(),
  }),
  signup_confirmation: z.object({
    token: z.string().min(1),
    expiresInHours: z.number().int(),
  }),
  signup_account_exists: z.object({}),
};

export type TemplateName = keyof typeof schemas;
export type TemplateData<N extends TemplateName> = z.input<(typeof schemas)[N]>;
export const templateNames = Object.keys(schemas) as TemplateName[];

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => htmlEscapes[ch]!);

/** A header value on one line: a subject with a line break in it could otherwise start a header of its own. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

/** Text as HTML: escaped, blank lines separating paragraphs, single line breaks kept. */
export const paragraphs = (text: string): string =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => `<p>${escapeHtml(block).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');

/** `{{firstName}}`, `{{lastName}}` and `{{fullName}}` in a campaign or transactional text; anything else stays. */
export function merge(text: string, person: { firstName: string; lastName: string }): string {
  const fields: Record<string, string> = {
    firstName: person.firstName,
    lastName: person.lastName,
    fullName: `${person.firstName} ${person.lastName}`.trim(),
  };
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => fields[name] ?? whole);
}

const plural: Record<NotificationLinkType, string> = {
  lead: 'leads',
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  activity: 'activities',
  import: 'imports',
  webhook: 'webhooks',
};

/** Where a notification's record opens in the web app. */
export const recordUrl = (base: string, link: { type: NotificationLinkType; id: string }) =>
  `${base}/${plural[link.type]}/${link.id}`;

export const passwordResetUrl = (base: string, token: string) =>
  `${base}/reset-password?token=${encodeURIComponent(token)}`;

export const signupConfirmationUrl = (base: string, token: string) =>
  `${base}/confirm-signup?token=${encodeURIComponent(token)}`;

export const unsubscribeUrl = (base: string, token: string) =>
  `${base}/api/v1/unsubscribe?token=${encodeURIComponent(token)}`;

function layout(title: string, inner: string, footer = ''): string {
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;max-width:40em">',
    inner,
    footer ? `<hr><p style="font-size:small;color:#666">${footer}</p>` : '',
    '</body></html>',
  ].join('\n');
}

function notice(data: z.infer<typeof Notice>, ctx: RenderContext, extraText: string[] = [], extraHtml: string[] = []) {
  const url = data.link ? recordUrl(ctx.publicBaseUrl, data.link) : null;
  const text = [data.body, ...extraText, url ? `Open: ${url}` : ''].filter(Boolean).join('\n\n');
  const inner = [
    `<h1 style="font-size:1.25em">${escapeHtml(data.title)}</h1>`,
    paragraphs(data.body),
    ...extraHtml,
    url ? `<p><a href="${escapeHtml(url)}">Open in the CRM</a></p>` : '',
  ].join('\n');
  const footer = 'You get this email because of your notification settings in the CRM.';
  return { subject: oneLine(data.title), text: `${text}\n\n${footer}\n`, html: layout(data.title, inner, footer) };
}

/** An email whose point is one single-use link: greeting, why it came, the link, and what to do if unasked. */
function linkEmail(m: { title: string; hello: string; why: string; url: string; action: string; ignore: string }) {
  return {
    subject: m.title,
    text: `${m.hello}\n\n${m.why}\n\n${m.url}\n\n${m.ignore}\n`,
    html: layout(
      m.title,
      [
        `<p>${escapeHtml(m.hello)}</p>`,
        `<p>${escapeHtml(m.why)}</p>`,
        `<p><a href="${escapeHtml(m.url)}">${escapeHtml(m.action)}</a></p>`,
        `<p>${escapeHtml(m.ignore)}</p>`,
      ].join('\n'),
    ),
    headers: {},
  };
}

const renderers: { [N in TemplateName]: (data: z.infer<(typeof schemas)[N]>, ctx: RenderContext) => RenderedEmail } = {
  notification: (data, ctx) => ({ ...notice(data, ctx), headers: {} }),
  task_reminder: (data, ctx) => {
    const due = data.dueAt ? `Due: ${new Date(data.dueAt).toUTCString()}` : null;
    const extra = due ? [due] : [];
    return {
      ...notice(
        data,
        ctx,
        extra,
        extra.map((d) => `<p><strong>${escapeHtml(d)}</strong></p>`),
      ),
      headers: {},
    };
  },
  webhook_disabled: (data, ctx) => {
    const facts = [
      data.url ? `Endpoint: ${data.url}` : null,
      data.failures !== undefined ? `Failed deliveries in a row: ${data.failures}` : null,
      data.lastError ? `Last error: ${data.lastError}` : null,
    ].filter((line): line is string => line !== null);
    const html = facts.length
      ? [`<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`]
      : ([] as string[]);
    return { ...notice(data, ctx, facts, html), headers: {} };
  },
  campaign: (data, ctx) => {
    const body = merge(data.text, data);
    const url = unsubscribeUrl(ctx.publicBaseUrl, data.unsubscribeToken);
    const why = 'You get this email because you agreed to hear from us.';
    const footer = `${why} Unsubscribe: ${url}`;
    const htmlFooter = `${why} <a href="${escapeHtml(url)}">Unsubscribe</a>`;
    return {
      subject: oneLine(merge(data.subject, data)),
      text: `${body}\n\n--\n${footer}\n`,
      html: layout(data.subject, paragraphs(body), htmlFooter),
      // RFC 2369 and RFC 8058: mail clients show their own unsubscribe button and POST to the link.
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  },
  password_reset: (data, ctx) =>
    linkEmail({
      title: 'Reset your CRM password',
      hello: data.name ? `Hello ${data.name},` : 'Hello,',
      why: `Someone (we hope you) asked to reset the password of your CRM account. The link works once, for ${data.expiresInMinutes} minutes.`,
      url: passwordResetUrl(ctx.publicBaseUrl, data.token),
      action: 'Choose a new password',
      ignore: 'If you did not ask, ignore this email: your password stays as it is.',
    }),
  // Nothing the requester typed (their name, the organization's) goes in: anyone can have this sent to anyone.
  signup_confirmation: (data, ctx) =>
    linkEmail({
      title: 'Finish signing up to the CRM',
      hello: 'Hello,',
      why: `Someone (we hope you) signed up for the CRM with this address. Open the link to create your organization; it works once, for ${data.expiresInHours} hours.`,
      url: signupConfirmationUrl(ctx.publicBaseUrl, data.token),
      action: 'Create the organization',
      ignore: 'If it was not you, ignore this email: nothing is created without the link.',
    }),
  // Sent instead of a sign-up link to a registered address: the sign-up answer itself must not say so.
  signup_account_exists: (_data, ctx) => {
    const signIn = `${ctx.publicBaseUrl}/login`;
    const forgot = `${ctx.publicBaseUrl}/forgot-password`;
    const why =
      'Someone (we hope you) tried to sign up for the CRM with this address, but it already has an account. Sign in instead, or choose a new password if you have forgotten yours.';
    const ignore = 'If it was not you, ignore this email: your account is unchanged.';
    const title = 'You already have a CRM account';
    return {
      subject: title,
      text: `Hello,\n\n${why}\n\nSign in: ${signIn}\nForgotten your password? ${forgot}\n\n${ignore}\n`,
      html: layout(
        title,
        [
          '<p>Hello,</p>',
          `<p>${escapeHtml(why)}</p>`,
          `<p><a href="${escapeHtml(signIn)}">Sign in</a> · <a href="${escapeHtml(forgot)}">Forgotten your password?</a></p>`,
          `<p>${escapeHtml(ignore)}</p>`,
        ].join('\n'),
      ),
      headers: {},
    };
  },
  transactional: (data) => {
    const body = merge(data.text, data);
    return {
      subject: oneLine(merge(data.subject, data)),
      text: `${body}\n`,
      html: layout(data.subject, paragraphs(body)),
      headers: {},
    };
  },
};

/** Checks data against a template's schema, for the code that queues an email. */
export function checkTemplateData<N extends TemplateName>(
  name: N,
  data: TemplateData<N>,
): z.infer<(typeof schemas)[N]> {
  return schemas[name].parse(data) as z.infer<(typeof schemas)[N]>;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Renders a stored email; an unknown template or data that does not fit it is a TemplateError (never retried). */
export function renderEmail(name: string, data: unknown, ctx: RenderContext): RenderedEmail {
  if (!(name in schemas)) throw new TemplateError(`unknown email template "${name}"`);
  const template = name as TemplateName;
  const parsed = schemas[template].safeParse(data);
  if (!parsed.success) throw new TemplateError(`data does not fit the ${template} template: ${parsed.error.message}`);
  const render = renderers[template] as (data: unknown, ctx: RenderContext) => RenderedEmail;
  return render(parsed.data, ctx);
}
