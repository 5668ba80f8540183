import type { ApiFailure } from '../../web/api.ts';
import { fieldError, formError } from '../../web/api.ts';
import {
  type CustomFieldDefinition,
  CustomFieldInputs,
  customFieldsFor,
  customFieldValues,
} from '../../web/components/custom-field-inputs.tsx';
import { Alert, CsrfField, Field, PageTitle } from '../../web/components/ui.tsx';
import type { Handlers, PageProps } from '../../web/route.ts';

const fields = ['firstName', 'lastName', 'email', 'phone', 'company', 'title', 'source', 'country'] as const;
type Values = Partial<Record<(typeof fields)[number], string>>;
type Data = {
  values: Values;
  error?: ApiFailure;
  customFields: CustomFieldDefinition[];
  custom?: Record<string, string | string[]>;
};

export const handler: Handlers<Data> = {
  GET: async (ctx) =>
    ctx.render({ values: {}, customFields: await customFieldsFor(ctx.api, 'lead') }, { title: 'New lead' }),
  async POST(ctx) {
    const form = await ctx.form();
    const values: Values = {};
    for (const field of fields) {
      const value = String(form.get(field) ?? '').trim();
      if (value) values[field] = field === 'country' ? value.toUpperCase() : value;
    }
    const customFields = await customFieldsFor(ctx.api, 'lead');
    const custom = customFieldValues(form, customFields);
    const body = Object.keys(custom.values).length ? { ...values, customFields: custom.values } : values;
    const answer = await ctx.api<{ id: string }>('/api/v1/leads', { method: 'POST', body });
    if (!answer.ok) {
      const data = { values, error: answer.error, customFields, custom: custom.raw };
      return ctx.render(data, { title: 'New lead', status: answer.status });
    }
    return ctx.redirect(`/leads/${answer.data.id}?created=1`);
  },
};

export default function NewLead({ data, csrf }: PageProps<Data>) {
  const { values, error } = data;
  const field = (name: (typeof fields)[number], label: string, extra: { type?: string; hint?: string } = {}) => (
    <Field name={name} label={label} value={values[name]} error={fieldError(error, name)} {...extra} />
  );
  return (
    <>
      <PageTitle>New lead</PageTitle>
      <form method="post" action="/leads/new" class="card max-w-2xl space-y-4" noValidate>
        <CsrfField csrf={csrf} />
        {formError(error, fields) && <Alert>{formError(error, fields)}</Alert>}
        <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {field('firstName', 'First name')}
          {field('lastName', 'Last name')}
          {field('email', 'Email', { type: 'email' })}
          {field('phone', 'Phone', { type: 'tel' })}
          {field('company', 'Company')}
          {field('title', 'Job title')}
          {field('source', 'Source', { hint: 'Where the lead came from, e.g. referral' })}
          {field('country', 'Country', { hint: 'Two-letter code, e.g. DE' })}
          <CustomFieldInputs definitions={data.customFields ?? []} values={data.custom} error={error} />
        </div>
        <div class="flex gap-2">
          <button type="submit" class="btn-primary">
            Create lead
          </button>
          <a href="/leads" class="btn-secondary">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
