import { companySizes } from '../../db/schema/crm-enums.ts';
import { type ApiFailure, fieldError, formError } from '../api.ts';
import type { Me } from '../route.ts';
import { SelectField, tagsFromText, type UserOption, userOptions } from './records.tsx';
import { Alert, Field } from './ui.tsx';

const addressParts = ['street', 'city', 'region', 'postalCode', 'country'] as const;
type AddressPart = (typeof addressParts)[number];

/** What the company form shows and posts: every value as the text of its control. */
export type CompanyValues = {
  name: string;
  domain: string;
  industry: string;
  size: string;
  /** Undefined when the form had no owner select (the caller may not list users): the owner is left alone. */
  ownerId?: string;
  tags: string;
} & Record<AddressPart, string>;

export const companyFieldNames = ['name', 'domain', 'industry', 'size', 'ownerId', 'tags', 'address'] as const;

type Company = {
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  ownerId: string | null;
  tags: string[];
  address: Partial<Record<AddressPart, string>> | null;
};

export const valuesOfCompany = (c: Company): CompanyValues => ({
  name: c.name,
  domain: c.domain ?? '',
  industry: c.industry ?? '',
  size: c.size ?? '',
  ownerId: c.ownerId ?? '',
  tags: c.tags.join(', '),
  street: c.address?.street ?? '',
  city: c.address?.city ?? '',
  region: c.address?.region ?? '',
  postalCode: c.address?.postalCode ?? '',
  country: c.address?.country ?? '',
});

export function companyValuesOfForm(form: FormData): CompanyValues {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  return {
    name: text('name'),
    domain: text('domain'),
    industry: text('industry'),
    size: text('size'),
    ownerId: form.has('ownerId') ? text('ownerId') : undefined,
    tags: text('tags'),
    street: text('street'),
    city: text('city'),
    region: text('region'),
    postalCode: text('postalCode'),
    country: text('country'),
  };
}

/** The API body for the form: empty optional fields are null (cleared); the address is sent whole, or null. */
export function companyBody(values: CompanyValues, creating: boolean) {
  const orNull = (v: string) => v || null;
  const address = Object.fromEntries(addressParts.flatMap((part) => (values[part] ? [[part, values[part]]] : [])));
  const body: Record<string, unknown> = {
    name: values.name,
    domain: orNull(values.domain),
    industry: orNull(values.industry),
    size: orNull(values.size),
    address: Object.keys(address).length > 0 ? address : null,
    tags: tagsFromText(values.tags),
  };
  if (values.ownerId !== undefined && (values.ownerId || !creating)) body.ownerId = orNull(values.ownerId);
  return body;
}

/** The company's fields, for the new-company page and the edit form of the company page. */
export function CompanyFields(props: {
  values: CompanyValues;
  error?: ApiFailure;
  users: UserOption[];
  me: Me | null;
}) {
  const { values, error } = props;
  const field = (
    name: keyof CompanyValues,
    label: string,
    extra: { type?: string; hint?: string; required?: boolean; path?: string } = {},
  ) => (
    <Field
      name={name}
      label={label}
      value={values[name] ?? ''}
      error={fieldError(error, extra.path ?? name)}
      type={extra.type}
      hint={extra.hint}
      required={extra.required}
    />
  );
  return (
    <>
      {formError(error, companyFieldNames) && <Alert>{formError(error, companyFieldNames)}</Alert>}
      <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {field('name', 'Name', { required: true })}
        {field('domain', 'Domain', { hint: 'e.g. acme.com; a pasted URL is fine' })}
        {field('industry', 'Industry')}
        <SelectField
          name="size"
          label="Size (employees)"
          value={values.size}
          empty="Unknown"
          options={companySizes.map((s) => [s, s] as const)}
          error={fieldError(error, 'size')}
        />
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
        {field('tags', 'Tags', { hint: 'Separated by commas, e.g. enterprise, emea' })}
      </div>
      <fieldset class="rounded-md border border-slate-200 p-3">
        <legend class="px-1 text-sm font-medium">Address</legend>
        <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {field('street', 'Street', { path: 'address.street' })}
          {field('city', 'City', { path: 'address.city' })}
          {field('region', 'Region or state', { path: 'address.region' })}
          {field('postalCode', 'Postal code', { path: 'address.postalCode' })}
          {field('country', 'Country', { path: 'address.country', hint: 'Two-letter code, e.g. GB' })}
        </div>
      </fieldset>
    </>
  );
}
