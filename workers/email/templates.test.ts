import { describe, expect, it } from 'vitest';
import { escapeHtml, merge, paragraphs, renderEmail, TemplateError, templateNames } from './templates.ts';

const ctx = { publicBaseUrl: 'https://crm.example' };
const leadId = '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b';

describe('email templates', () => {
  it('escapes every value that reaches the HTML, and keeps the text as written', () => {
    const email = renderEmail(
      'notification',
      { type: 'workflow', title: 'Call <b>Ada</b> & "Grace"', body: "It's <script>alert(1)</script>", link: null },
      ctx,
    );
    expect(email.subject).toBe('Call <b>Ada</b> & "Grace"');
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>Ada</b>');
    expect(email.html).toContain('Call &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Grace&quot;');
    expect(email.html).toContain('It&#39;s &lt;script&gt;');
    expect(email.text).toContain("It's <script>alert(1)</script>");
  });

  it('links a notification to its record in the web app', () => {
    const email = renderEmail(
      'notification',
      { type: 'lead_assigned', title: 'A lead for you', body: '', link: { type: 'lead', id: leadId } },
      ctx,
    );
    expect(email.text).toContain(`https://crm.example/leads/${leadId}`);
    expect(email.html).toContain(`href="https://crm.example/leads/${leadId}"`);
  });

  it('puts the due time in a task reminder and the failures in a webhook notice', () => {
    const reminder = renderEmail(
      'task_reminder',
      { type: 'task_due', title: 'Call Ada', body: 'Quarterly call', dueAt: '2026-12-01T09:00:00.000Z' },
      ctx,
    );
    expect(reminder.text).toContain('Due: Tue, 01 Dec 2026 09:00:00 GMT');
    const webhook = renderEmail(
      'webhook_disabled',
      { type: 'webhook_disabled', title: 'Webhook disabled', url: 'https://hooks.example/x', failures: 20 },
      ctx,
    );
    expect(webhook.text).toContain('Endpoint: https://hooks.example/x');
    expect(webhook.html).toContain('<li>Failed deliveries in a row: 20</li>');
  });

  it('gives a campaign email merge fields, an unsubscribe link and one-click headers', () => {
    const email = renderEmail(
      'campaign',
      {
        subject: 'News for {{firstName}}',
        text: 'Dear {{fullName}},\n\nline one\nline two',
        firstName: 'Ada',
        lastName: 'Lovelace',
        unsubscribeToken: 'uns_us_abc.def',
      },
      ctx,
    );
    const url = 'https://crm.example/api/v1/unsubscribe?token=uns_us_abc.def';
    expect(email.subject).toBe('News for Ada');
    expect(email.text).toContain('Dear Ada Lovelace,');
    expect(email.text).toContain(`Unsubscribe: ${url}`);
    expect(email.html).toContain('<p>line one<br>line two</p>');
    expect(email.headers).toEqual({
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('keeps a subject on one line', () => {
    const email = renderEmail('transactional', { subject: 'Hello\r\nBcc: victim@example.com', text: 'x' }, ctx);
    expect(email.subject).toBe('Hello Bcc: victim@example.com');
  });

  it('refuses an unknown template or data that does not fit, as an error never worth retrying', () => {
    expect(() => renderEmail('nope', {}, ctx)).toThrow(TemplateError);
    expect(() => renderEmail('campaign', { subject: 'x', text: 'y' }, ctx)).toThrow(TemplateError);
    expect(templateNames).toEqual([
      'notification',
      'task_reminder',
      'webhook_disabled',
      'campaign',
      'transactional',
      'password_reset',
      'signup_confirmation',
      'signup_account_exists',
    ]);
  });

  it('links a sign-up confirmation to the web app’s page and says how long it works', () => {
    const email = renderEmail('signup_confirmation', { token: 'sgn_us_00ff', expiresInHours: 24 }, ctx);
    expect(email.subject).toBe('Finish signing up to the CRM');
    expect(email.text).toContain('https://crm.example/confirm-signup?token=sgn_us_00ff');
    expect(email.text).toContain('24 hours');
  });

  it('tells a registered address that it has an account, with sign-in and forgotten-password links', () => {
    const email = renderEmail('signup_account_exists', {}, ctx);
    expect(email.subject).toBe('You already have a CRM account');
    expect(email.text).toContain('https://crm.example/login');
    expect(email.text).toContain('https://crm.example/forgot-password');
  });

  it('links a password reset to the web app’s page, escaped, and says how long it works', () => {
    const email = renderEmail(
      'password_reset',
      { name: 'Ada <script>', token: 'prt_us_00ff', expiresInMinutes: 30 },
      ctx,
    );
    expect(email.subject).toBe('Reset your CRM password');
    expect(email.text).toContain('https://crm.example/reset-password?token=prt_us_00ff');
    expect(email.text).toContain('30 minutes');
    expect(email.html).toContain('Hello Ada &lt;script&gt;,');
    expect(email.html).not.toContain('<script>');
  });

  it('leaves unknown merge fields alone and builds paragraphs from text', () => {
    expect(merge('Hi {{firstName}} {{unknown}}', { firstName: 'Ada', lastName: '' })).toBe('Hi Ada {{unknown}}');
    expect(paragraphs('a\n\n\nb <c>')).toBe('<p>a</p>\n<p>b &lt;c&gt;</p>');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
