import { lifecycleStages } from '../../db/schema/crm-enums.ts';
import CompanyPicker from '../../islands/CompanyPicker.tsx';
import { type ApiFailure, fieldError, formError } from '../api.ts';
import type { Me } from '../route.ts';
import {
  type CompanyOption,
  lifecycleLabels,
  SelectField,
  tagsFromText,
  type UserOption,
  userOptions,
} from './records.tsx';
import { Alert, Field } from './ui.tsx';

/** What the contact form shows and posts: every value as the text of its control. */
export type ContactValues = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  title: string;
  lifecycleStage: string;
  companyId: string;
  /** Undefined when the form had no owner select (the caller may not list users): the owner is left alone. */
  ownerId?: string;
  tags: string;
  marketingEmailConsent: boolean;
  consentSource: string;
};

export const contactFieldNames = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'title',
  'lifecycleStage',
  'companyId',
  'ownerId',
  'tags',
  'marketingEmailConsent',
  'consentSource',
] as const;

type Contact = {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  lifecycleStage: string;
  companyId: string | null;
  ownerId: string | null;
  tags: string[];
  marketingEmailConsent: boolean;
};

export const valuesOfContact = (c: Contact): ContactValues => ({
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email ?? '',
  phone: c.phone ?? '',
  title: c.title ?? '',
  lifecycleStage: c.lifecycleStage,
  companyId: c.companyId ?? '',
  ownerId: c.ownerId ?? '',
  tags: c.tags.join(', '),
  marketingEmailConsent: c.marketingEmailConsent,
  consentSource: '',
});

export function valuesOfForm(form: FormData): ContactValues {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  return {
    firstName: text('firstName'),
    lastName: text('lastName'),
    email: text('email'),
    phone: text('phone'),
    title: text('title'),
    lifecycleStage: text('lifecycleStage'),
    companyId: text('companyId'),
    ownerId: form.has('ownerId') ? text('ownerId') : undefined,
    tags: text('tags'),
    marketingEmailConsent: form.get('marketingEmailConsent') === 'on',
    consentSource: text('consentSource'),
  };
}

/**
 * The API body for the form's values. Empty optional fields are null (cleared), and consent is sent only when it
 * changes, since giving it again would need a new source and move its date. `before` is the consent as last read.
 */
export function contactBody(values: ContactValues, consentBefore: boolean, creating: boolean) {
  const orNull = (v: string) => v || null;
  const body: Record<string, unknown> = {
    firstName: values.firstName,
    lastName: values.lastName,
    email: orNull(values.email),
    phone: orNull(values.phone),
    title: orNull(values.title),
    companyId: orNull(values.companyId),
    tags: tagsFromText(values.tags),
  };
  if (values.lifecycleStage) body.lifecycleStage = values.lifecycleStage;
  if (values.ownerId !== undefined && (values.ownerId || !creating)) body.ownerId = orNull(values.ownerId);
  if (values.marketingEmailConsent !== consentBefore) {
    body.marketingEmailConsent = values.marketingEmailConsent;
    if (values.consentSource) body.consentSource = values.consentSource;
  }
  return body;
}

/** The contact's fields, for the new-contact page and the edit form of the 360° page. */
export function ContactFields(props: {
  values: ContactValues;
  error?: ApiFailure;
  users: UserOption[];
  companies: CompanyOption[];
  me: Me | null;
}) {
  const { values, error } = props;
  const field = (name: keyof ContactValues & string, label: string, extra: { type?: string; hint?: string } = {}) => (
    <Field name={name} label={label} value={values[name] as string} error={fieldError(error, name)} {...extra} />
  );
  const consentError = fieldError(error, 'consentSource') ?? fieldError(error, 'marketingEmailConsent');
  return (
    <>
      {formError(error, contactFieldNames) && <Alert>{formError(error, contactFieldNames)}</Alert>}
      <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {field('firstName', 'First name')}
        {field('lastName', 'Last name')}
        {field('email', 'Email', { type: 'email' })}
        {field('phone', 'Phone', { type: 'tel' })}
        {field('title', 'Job title')}
        <SelectField
          name="lifecycleStage"
          label="Lifecycle stage"
          value={values.lifecycleStage || 'lead'}
          options={lifecycleStages.map((s) => [s, lifecycleLabels[s]!] as const)}
          error={fieldError(error, 'lifecycleStage')}
        />
        <div class="sm:col-span-2">
          <CompanyPicker
            name="companyId"
            label="Company"
            value={values.companyId || null}
            options={props.companies}
            error={fieldError(error, 'companyId')}
          />
        </div>
        {props.users.length > 0 && (
          <SelectField
            name="ownerId"
            label="Owner"
            value={values.ownerId}
            empty="No owner"
            options={userOptions(props.users, props.me)}
            error={fieldError(error, 'ownerId')}
          />
        )}
        {field('tags', 'Tags', { hint: 'Separated by commas, e.g. vip, emea' })}
      </div>
      <fieldset class="rounded-md border border-slate-200 p-3">
        <legend class="px-1 text-sm font-medium">Marketing email consent</legend>
        <div class="flex items-center gap-2">
          <input
            id="f-marketingEmailConsent"
            name="marketingEmailConsent"
            type="checkbox"
            class="h-4 w-4"
            checked={values.marketingEmailConsent}
          />
          <label for="f-marketingEmailConsent" class="text-sm">
            Agreed to receive marketing email
          </label>
        </div>
        <div class="mt-2">
          <Field
            name="consentSource"
            label="How consent was given or withdrawn"
            value={values.consentSource}
            error={consentError}
            hint="Needed when giving consent, e.g. web_form, verbal, import; kept in the audit log"
          />
        </div>
      </fieldset>
    </>
  );
}
