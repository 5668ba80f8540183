import { z } from '@hono/zod-openapi';
import { emailKinds, emailStatuses, suppressionReasons } from '../../db/schema/messaging-enums.ts';
import { BULK_MAX_RECORDS, ContactBulkFilter } from './bulk.ts';
import { Timestamp } from './common.ts';
import { PageQuery } from './companies.ts';
import { storableText } from './text.ts';

export const EmailKindSchema = z.enum(emailKinds).openapi('EmailKind', {
  description: '`notification`: to a member; `transactional`: a one-off email to a contact; `bulk`: one of a campaign',
});
export const EmailStatusSchema = z.enum(emailStatuses).openapi('EmailStatus', {
  description:
    '`queued`, `sending`; `sent` (the SMTP server accepted it); `suppressed` (the address was on the suppression list: never sent); `bounced` (refused for good: the address is now suppressed); `failed` (temporary failures used up every retry)',
});
export const SuppressionReasonSchema = z.enum(suppressionReasons).openapi('SuppressionReason', {
  description:
    '`bounced` and `complained` stop every email to the address; `unsubscribed` (the link in a campaign) stops bulk email',
});

const Address = z.email().max(254).openapi({ example: 'ada@analytical.example' });
const Subject = storableText(200)
  .pipe(z.string().min(1))
  .openapi({ example: 'Your quote for the Analytical Engine', description: 'May use {{firstName}}, {{lastName}}' });
const Text = storableText(20_000).pipe(z.string().min(1)).openapi({
  description:
    'Plain text; blank lines separate paragraphs in the HTML part. `{{firstName}}`, `{{lastName}}` and `{{fullName}}` are replaced per recipient',
  example: 'Dear {{firstName}},\n\nthank you for your interest.',
});

export const SendEmailInput = z
  .strictObject({
    contactId: z.uuid().openapi({ description: 'A contact the caller may see, with an email address' }),
    subject: Subject,
    text: Text,
  })
  .openapi('SendEmailInput');

export const BulkEmailInput = z
  .strictObject({
    subject: Subject,
    text: Text,
    select: z
      .union([
        z.strictObject({ ids: z.array(z.uuid()).min(1).max(BULK_MAX_RECORDS) }),
        z.strictObject({ filter: ContactBulkFilter }),
      ])
      .openapi({
        description: `Either \`{ ids }\` of contacts or \`{ filter }\` with the contact list's filters; at most ${BULK_MAX_RECORDS} contacts`,
      }),
  })
  .openapi('BulkEmailInput');

export const EmailSchema = z
  .object({
    id: z.uuid(),
    kind: EmailKindSchema,
    template: z.string().openapi({ example: 'transactional' }),
    to: Address,
    subject: z.string(),
    status: EmailStatusSchema,
    contactId: z.uuid().nullable(),
    userId: z.uuid().nullable().openapi({ description: 'The member a notification email went to' }),
    campaignId: z.uuid().nullable(),
    activityId: z.uuid().nullable().openapi({ description: "The `email` activity logged on the contact's timeline" }),
    attempts: z.number().int().min(0),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
    sentAt: Timestamp.nullable(),
  })
  .openapi('Email');

export const EmailList = z
  .object({
    data: z.array(EmailSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('EmailList');

const queryId = (name: string, description: string) =>
  z
    .uuid()
    .optional()
    .openapi({ param: { name, in: 'query', description }, example: '0193a5ff-0a1b-7c2d-8e3f-4a5b6c7d8e9f' });

export const EmailListQuery = PageQuery.extend({
  campaignId: queryId('campaignId', 'Only the emails of this bulk campaign'),
  contactId: queryId('contactId', 'Only the emails to this contact'),
  status: EmailStatusSchema.optional().openapi({
    param: { name: 'status', in: 'query', description: 'Only emails in this state' },
    example: 'sent',
  }),
});

export const BulkEmailResult = z
  .object({
    campaignId: z.uuid().openapi({ description: 'List its emails with `GET /api/v1/emails?campaignId=`' }),
    queued: z.number().int().min(0).openapi({ description: 'Emails queued, one per address' }),
    skipped: z
      .object({
        noEmail: z.number().int().min(0),
        noConsent: z.number().int().min(0).openapi({ description: 'Without marketing consent' }),
        suppressed: z.number().int().min(0).openapi({ description: 'Address bounced, complained or unsubscribed' }),
        duplicate: z.number().int().min(0).openapi({ description: 'Another selected contact has the same address' }),
        notFound: z.number().int().min(0).openapi({ description: 'Ids that name no contact of the organization' }),
      })
      .openapi({ description: 'Selected contacts that get nothing, by reason' }),
  })
  .openapi('BulkEmailResult');

export const SuppressionSchema = z
  .object({
    address: Address,
    reason: SuppressionReasonSchema,
    detail: z.string().nullable().openapi({ description: "The SMTP server's answer for a bounce, or a note" }),
    createdAt: Timestamp,
  })
  .openapi('EmailSuppression');

export const SuppressionInput = z
  .strictObject({
    address: Address,
    reason: SuppressionReasonSchema,
    detail: storableText(500).optional().openapi({ example: 'Complaint forwarded by the mailbox provider' }),
  })
  .openapi('EmailSuppressionInput');

export const SuppressionList = z
  .object({
    data: z.array(SuppressionSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('EmailSuppressionList');

export const SuppressionListQuery = PageQuery.extend({
  reason: SuppressionReasonSchema.optional().openapi({
    param: { name: 'reason', in: 'query', description: 'Only suppressions for this reason' },
    example: 'bounced',
  }),
});

export const AddressParam = z.object({
  address: Address.openapi({
    param: { name: 'address', in: 'path', description: 'The suppressed email address' },
    example: 'ada@analytical.example',
  }),
});

export const UnsubscribeQuery = z.object({
  token: z
    .string()
    .min(10)
    .max(2000)
    .openapi({
      param: { name: 'token', in: 'query', description: 'The token of the unsubscribe link in a campaign email' },
      example: 'uns_us_eyJ2IjoxLCJvIjoiMDE5M2E1ZjItMGMxZS03YTJiLTlkMWUtM2Y0YTViNmM3ZDhlIn0.c2lnbmF0dXJl',
    }),
});

export const UnsubscribeResult = z
  .object({
    address: z.string().openapi({ description: 'The address, partly masked', example: 'a***@analytical.example' }),
    unsubscribed: z.literal(true),
    alreadyUnsubscribed: z.boolean().openapi({ description: 'True when an earlier visit already unsubscribed it' }),
  })
  .openapi('UnsubscribeResult');

const ids = {
  email: '0193a5ff-1b2c-7d3e-8f4a-5b6c7d8e9f0a',
  contact: '0193a5f5-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
  campaign: '0193a5ff-0a1b-7c2d-8e3f-4a5b6c7d8e9f',
  activity: '0193a5f9-8b9c-7d0e-9f1a-2b3c4d5e6f7a',
};

export const sendEmailInputExample = {
  contactId: ids.contact,
  subject: 'Your quote for the Analytical Engine',
  text: 'Dear {{firstName}},\n\nplease find our quote below.',
} satisfies z.input<typeof SendEmailInput>;

export const emailExample = {
  id: ids.email,
  kind: 'transactional',
  template: 'transactional',
  to: 'ada@analytical.example',
  subject: 'Your quote for the Analytical Engine',
  status: 'queued',
  contactId: ids.contact,
  userId: null,
  campaignId: null,
  activityId: ids.activity,
  attempts: 0,
  lastError: null,
  createdAt: '2026-11-25T15:06:50.000Z',
  sentAt: null,
} satisfies z.output<typeof EmailSchema>;

export const sentEmailExample = {
  ...emailExample,
  status: 'sent',
  attempts: 1,
  sentAt: '2026-11-25T15:06:52.000Z',
} satisfies z.output<typeof EmailSchema>;

export const bulkEmailInputExample = {
  subject: 'Our autumn news, {{firstName}}',
  text: 'Dear {{firstName}},\n\nhere is what changed this season.',
  select: { filter: { lifecycleStage: 'customer' } },
} satisfies z.input<typeof BulkEmailInput>;

export const bulkEmailResultExample = {
  campaignId: ids.campaign,
  queued: 120,
  skipped: { noEmail: 3, noConsent: 41, suppressed: 2, duplicate: 1, notFound: 0 },
} satisfies z.output<typeof BulkEmailResult>;

export const suppressionExample = {
  address: 'grace@navy.example',
  reason: 'bounced',
  detail: '550 5.1.1 No such user',
  createdAt: '2026-11-25T15:06:50.000Z',
} satisfies z.output<typeof SuppressionSchema>;

export const suppressionInputExample = {
  address: 'grace@navy.example',
  reason: 'complained',
  detail: 'Complaint forwarded by the mailbox provider',
} satisfies z.input<typeof SuppressionInput>;

export const unsubscribeResultExample = {
  address: 'a***@analytical.example',
  unsubscribed: true,
  alreadyUnsubscribed: false,
} satisfies z.output<typeof UnsubscribeResult>;
