import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';
import { CountryCode } from './leads.ts';
import { storableText } from './text.ts';

const formId = '0193a5fe-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const publicId = 'frm_eu_0193a5f20c1e7a2b9d1e3f4a5b6c7d8e0193a5fe1a2b7c3d8e4f5a6b7c8d9e0f';

/** The lead fields a form field may fill. */
export const formLeadFields = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'country',
  'region',
  'industry',
] as const;
export const formFieldTypes = ['text', 'email', 'tel', 'textarea', 'select', 'checkbox'] as const;

/**
 * Names a submission may not use for a field: the honeypot the embed adds (bots fill every input), the consent box
 * and the Turnstile token, which the edge and the region read themselves.
 */
export const reservedFieldNames = ['website', 'consent', 'cf-turnstile-response', 'pageUrl'] as const;

const unique = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase())).size === values.length;

/** `scheme://host[:port]` exactly as a browser sends it in `Origin`. */
export const OriginSchema = z
  .string()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'An origin: scheme and host (and port), e.g. https://www.example.com, lower case, no path or trailing slash')
  .openapi({ example: 'https://www.example.com' });

const HttpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .openapi({ example: 'https://www.example.com/thanks' });

export const FormField = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'Letters, digits and _, starting with a letter, at most 40')
      .refine((n) => !(reservedFieldNames as readonly string[]).includes(n), 'This name is reserved')
      .openapi({ example: 'email', description: 'The key the value is submitted under' }),
    label: storableText(200).pipe(z.string().min(1)).openapi({ example: 'Work email' }),
    type: z.enum(formFieldTypes).openapi({ example: 'email' }),
    required: z.boolean().optional().openapi({ description: 'false unless given' }),
    leadField: z
      .enum(formLeadFields)
      .optional()
      .openapi({ description: 'The lead field the value fills; left out, the value is kept with the submission only' }),
    placeholder: storableText(200).optional(),
    options: z
      .array(storableText(200).pipe(z.string().min(1)))
      .min(1)
      .max(100)
      .refine(unique, 'List each option once')
      .optional()
      .openapi({ description: 'The choices of a `select` field (required for it, refused for the others)' }),
    maxLength: z.number().int().min(1).max(5000).optional().openapi({ description: '500 unless given' }),
  })
  .refine((f) => (f.type === 'select') === (f.options !== undefined), {
    message: 'A select field needs options, and only a select field has them',
    path: ['options'],
  })
  .openapi('FormField');

const Fields = z
  .array(FormField)
  .min(1)
  .max(30)
  .refine((fields) => unique(fields.map((f) => f.name)), 'Give each field its own name')
  .refine(
    (fields) => unique(fields.flatMap((f) => (f.leadField ? [f.leadField] : []))),
    'Map each lead field from one form field only',
  )
  .refine(
    (fields) => fields.some((f) => f.leadField && ['firstName', 'lastName', 'email', 'phone'].includes(f.leadField)),
    'Map at least one of firstName, lastName, email or phone, so every submission can make a lead',
  );

export const FormLeadDefaultsSchema = z
  .strictObject({
    source: storableText(100).optional(),
    country: CountryCode.optional(),
    region: storableText(100).optional(),
    industry: storableText(100).optional(),
  })
  .openapi('FormLeadDefaults', {
    description:
      'Lead fields every submission gets unless a form field fills them; `source` is `web_form` unless given',
    example: { source: 'web_form' },
  });

const Origins = z.array(OriginSchema).min(1).max(20).refine(unique, 'List each origin once');
const nullableText = (max: number) => z.union([storableText(max).pipe(z.string().min(1)), z.null()]);

const formFields = {
  name: storableText(100).pipe(z.string().min(1)).openapi({ example: 'Contact us' }),
  fields: Fields,
  leadDefaults: FormLeadDefaultsSchema,
  consentText: nullableText(2000).openapi({
    description: 'Shown beside a checkbox; what the person agreed to is stored with their submission',
    example: 'I agree to be contacted about Analytical Engines products.',
  }),
  consentRequired: z.boolean().openapi({ description: 'Refuse submissions without the consent box ticked' }),
  submitLabel: storableText(60).pipe(z.string().min(1)).openapi({ example: 'Send' }),
  successMessage: nullableText(500).openapi({ example: 'Thank you, we will be in touch.' }),
  redirectUrl: z.union([HttpUrl, z.null()]).openapi({ description: 'Set, the page goes there after a submission' }),
  allowedOrigins: Origins.openapi({
    description: 'The sites that may embed the form: only these get CORS answers and may submit',
    example: ['https://www.example.com'],
  }),
  turnstileSiteKey: nullableText(100).openapi({
    description: 'A Cloudflare Turnstile site key: set, the form shows the challenge and the edge verifies it',
    example: null,
  }),
  active: z.boolean().openapi({ description: 'An inactive form answers 404 to the public' }),
};

export const FormInput = z
  .strictObject({
    name: formFields.name,
    fields: formFields.fields,
    leadDefaults: formFields.leadDefaults.optional(),
    consentText: formFields.consentText.optional(),
    consentRequired: formFields.consentRequired.optional(),
    submitLabel: formFields.submitLabel.optional(),
    successMessage: formFields.successMessage.optional(),
    redirectUrl: formFields.redirectUrl.optional(),
    allowedOrigins: formFields.allowedOrigins,
    turnstileSiteKey: formFields.turnstileSiteKey.optional(),
    active: formFields.active.optional(),
  })
  .refine((f) => !f.consentRequired || Boolean(f.consentText), {
    message: 'A required consent needs its text',
    path: ['consentText'],
  })
  .openapi('FormInput');

export const FormPatch = z
  .strictObject({
    name: formFields.name.optional(),
    fields: formFields.fields.optional(),
    leadDefaults: formFields.leadDefaults.optional(),
    consentText: formFields.consentText.optional(),
    consentRequired: formFields.consentRequired.optional(),
    submitLabel: formFields.submitLabel.optional(),
    successMessage: formFields.successMessage.optional(),
    redirectUrl: formFields.redirectUrl.optional(),
    allowedOrigins: formFields.allowedOrigins.optional(),
    turnstileSiteKey: formFields.turnstileSiteKey.optional(),
    active: formFields.active.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('FormPatch');

export const FormSchema = z
  .object({
    id: z.uuid(),
    publicId: z.string().openapi({ description: 'The id the embed script and public submissions use' }),
    embedSnippet: z.string().openapi({ description: 'The HTML to paste where the form should appear' }),
    name: z.string(),
    fields: z.array(FormField),
    leadDefaults: FormLeadDefaultsSchema,
    consentText: z.string().nullable(),
    consentRequired: z.boolean(),
    submitLabel: z.string(),
    successMessage: z.string().nullable(),
    redirectUrl: z.string().nullable(),
    allowedOrigins: z.array(z.string()),
    turnstileSiteKey: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Form');

export const FormList = z.object({ data: z.array(FormSchema) }).openapi('FormList');

export const formInputExample = {
  name: 'Contact us',
  fields: [
    { name: 'name', label: 'Your name', type: 'text' as const, required: true, leadField: 'firstName' as const },
    { name: 'email', label: 'Work email', type: 'email' as const, required: true, leadField: 'email' as const },
    { name: 'company', label: 'Company', type: 'text' as const, leadField: 'company' as const },
  ],
  leadDefaults: { source: 'web_form' },
  consentText: 'I agree to be contacted about Analytical Engines products.',
  consentRequired: true,
  successMessage: 'Thank you, we will be in touch.',
  allowedOrigins: ['https://www.example.com'],
};

export const formExample: z.output<typeof FormSchema> = {
  id: formId,
  publicId,
  embedSnippet: `<script src="http://127.0.0.1:8787/forms/${publicId}.js" async></script>`,
  ...formInputExample,
  submitLabel: 'Send',
  redirectUrl: null,
  turnstileSiteKey: null,
  active: true,
  version: 1,
  createdAt: '2026-11-25T15:06:50.000Z',
  updatedAt: '2026-11-25T15:06:50.000Z',
};

/** A public submission: the form's field names with their values, and the consent box. */
export const FormSubmissionInput = z
  .record(z.string(), z.union([z.string(), z.boolean()]))
  .openapi('FormSubmissionInput', {
    description:
      'The form field names with their values (strings; a checkbox may send true), `consent` (true when ticked) and, for a form with Turnstile, `cf-turnstile-response`. JSON or application/x-www-form-urlencoded.',
  });

export const FormSubmissionResult = z
  .object({
    submission: z.object({ id: z.uuid() }),
    message: z.string().nullable().openapi({ description: "The form's success message" }),
    redirectUrl: z.string().nullable().openapi({ description: 'Where to send the visitor next, if anywhere' }),
  })
  .openapi('FormSubmissionResult');

export const PublicFormIdParam = z.object({
  publicId: z
    .string()
    .max(120)
    .openapi({
      param: { name: 'publicId', in: 'path', description: "The form's public id (`frm_…`)" },
      example: publicId,
    }),
});

export const EmbedScriptParam = z.object({
  script: z
    .string()
    .max(123)
    .openapi({
      param: { name: 'script', in: 'path', description: "The form's public id followed by `.js`" },
      example: `${publicId}.js`,
    }),
});

export const submissionInputExample = {
  name: 'Ada Lovelace',
  email: 'ada@analytical.example',
  company: 'Analytical Engines',
  consent: true,
};
export const submissionResultExample = {
  submission: { id: '0193a5ff-2b3c-7d4e-9f5a-6b7c8d9e0f1a' },
  message: 'Thank you, we will be in touch.',
  redirectUrl: null,
};
