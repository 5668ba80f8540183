import { z } from '@hono/zod-openapi';
import { type FormField, formLeadFields } from '../../openapi/schemas/forms.ts';
import { LeadInput } from '../../openapi/schemas/leads.ts';
import { storable } from '../../openapi/schemas/text.ts';

type Field = z.output<typeof FormField>;
type Issue = { path: string; message: string };
export type SubmittedValues = Record<string, string | boolean>;

const DEFAULT_MAX_LENGTH = 500;
const Email = z.email();
const Phone = /^\+?[0-9 ()./-]{3,40}$/;
const ticked = (v: string | boolean | undefined) => v === true || v === 'true' || v === 'on' || v === '1';

/**
 * Checks a submission against its form's fields and builds the lead it makes. Problems are named by the form's
 * own field names (the embed shows each beside its input), including those only the lead's contract finds.
 */
export function readSubmission(
  form: { fields: Field[]; leadDefaults: Record<string, string>; consentRequired: boolean },
  submitted: SubmittedValues,
):
  | { ok: true; values: Record<string, string | boolean>; lead: z.infer<typeof LeadInput>; consent: boolean }
  | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const values: Record<string, string | boolean> = {};
  const lead: Record<string, string> = {};
  const fieldOfLead = new Map<string, string>();
  for (const field of form.fields) {
    const raw = submitted[field.name];
    if (field.type === 'checkbox') {
      values[field.name] = ticked(raw);
      if (field.required && !values[field.name]) issues.push({ path: field.name, message: 'Tick this box' });
      if (field.leadField) lead[field.leadField] = values[field.name] ? 'yes' : 'no';
      continue;
    }
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') {
      if (field.required) issues.push({ path: field.name, message: 'Required' });
      continue;
    }
    const problem =
      value.length > (field.maxLength ?? DEFAULT_MAX_LENGTH)
        ? `At most ${field.maxLength ?? DEFAULT_MAX_LENGTH} characters`
        : !storable(value)
          ? 'Contains characters that cannot be stored'
          : field.type === 'email' && !Email.safeParse(value).success
            ? 'Enter a valid email address'
            : field.type === 'tel' && !Phone.test(value)
              ? 'Enter a valid phone number'
              : field.type === 'select' && !field.options?.includes(value)
                ? 'Choose one of the options'
                : null;
    if (problem) {
      issues.push({ path: field.name, message: problem });
      continue;
    }
    values[field.name] = value;
    if (field.leadField) {
      lead[field.leadField] = value;
      fieldOfLead.set(field.leadField, field.name);
    }
  }
  const consent = ticked(submitted.consent);
  if (form.consentRequired && !consent) issues.push({ path: 'consent', message: 'Please give your consent' });
  if (issues.length) return { ok: false, issues };

  const defaults = Object.fromEntries(
    Object.entries(form.leadDefaults).filter(
      ([key]) => !(formLeadFields as readonly string[]).includes(key) || !lead[key],
    ),
  );
  const parsed = LeadInput.safeParse({ source: 'web_form', ...defaults, ...lead });
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => {
        const leadField = String(issue.path[0] ?? '');
        // The lead needs a name, email or phone: say so on the first field that could give one.
        const name =
          fieldOfLead.get(leadField) ??
          form.fields.find((f) => f.leadField && ['firstName', 'lastName', 'email', 'phone'].includes(f.leadField))
            ?.name ??
          leadField;
        return { path: name, message: issue.message };
      }),
    };
  }
  return { ok: true, values, lead: parsed.data, consent };
}
