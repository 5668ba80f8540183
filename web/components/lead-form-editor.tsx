import type { ApiFailure } from '../api.ts';
import { errorFor, generalError, Outcome, SelectField, TextField } from './settings.tsx';
import { CsrfField } from './ui.tsx';

/** One row of a lead-capture form's field list, as the editor holds it (strings, straight from the inputs). */
export type FieldDraft = {
  name: string;
  label: string;
  type: string;
  leadField: string;
  required: boolean;
  options: string;
};
export type LeadFormDraft = {
  id?: string;
  version?: number;
  name: string;
  fields: FieldDraft[];
  allowedOrigins: string;
  consentText: string;
  successMessage: string;
  redirectUrl: string;
  submitLabel: string;
  active: boolean;
};

/** Empty rows the editor always offers beneath the form's own fields, so fields can be added without script. */
const SPARE_ROWS = 2;

const fieldTypes = ['text', 'email', 'tel', 'textarea', 'select', 'checkbox'].map((t) => [t, t] as const);
const leadFields = [
  ['', 'Kept with the submission only'],
  ...['firstName', 'lastName', 'email', 'phone', 'company', 'title', 'country', 'region', 'industry'].map(
    (f) => [f, f] as const,
  ),
] as const;

export const blankForm = (): LeadFormDraft => ({
  name: '',
  fields: [
    { name: 'email', label: 'Work email', type: 'email', leadField: 'email', required: true, options: '' },
    { name: 'firstName', label: 'First name', type: 'text', leadField: 'firstName', required: false, options: '' },
    { name: 'company', label: 'Company', type: 'text', leadField: 'company', required: false, options: '' },
  ],
  allowedOrigins: '',
  consentText: '',
  successMessage: 'Thank you, we will be in touch.',
  redirectUrl: '',
  submitLabel: 'Send',
  active: true,
});

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Reads the editor's posted inputs back into a draft (rows without a name are dropped). */
export function draftFromForm(form: FormData): LeadFormDraft {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const fields: FieldDraft[] = [];
  for (let i = 0; form.has(`fields.${i}.name`); i++) {
    const row = {
      name: text(`fields.${i}.name`),
      label: text(`fields.${i}.label`),
      type: text(`fields.${i}.type`) || 'text',
      leadField: text(`fields.${i}.leadField`),
      required: form.get(`fields.${i}.required`) === 'on',
      options: text(`fields.${i}.options`),
    };
    if (row.name || row.label) fields.push(row);
  }
  const version = Number(text('version'));
  return {
    id: text('formId') || undefined,
    version: Number.isInteger(version) && version > 0 ? version : undefined,
    name: text('name'),
    fields,
    allowedOrigins: text('allowedOrigins'),
    consentText: text('consentText'),
    successMessage: text('successMessage'),
    redirectUrl: text('redirectUrl'),
    submitLabel: text('submitLabel'),
    active: form.get('active') === 'on',
  };
}

/** The API body for a draft; empty optional texts become null (cleared) rather than empty strings. */
export function bodyFromDraft(draft: LeadFormDraft) {
  return {
    name: draft.name,
    fields: draft.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      required: f.required,
      ...(f.leadField ? { leadField: f.leadField } : {}),
      ...(f.type === 'select' ? { options: lines(f.options) } : {}),
    })),
    allowedOrigins: lines(draft.allowedOrigins),
    consentText: draft.consentText || null,
    successMessage: draft.successMessage || null,
    redirectUrl: draft.redirectUrl || null,
    ...(draft.submitLabel ? { submitLabel: draft.submitLabel } : {}),
    active: draft.active,
  };
}

function Area(props: { id: string; name: string; label: string; value: string; error?: string; hint?: string }) {
  const described = [props.error ? `${props.id}-error` : '', props.hint ? `${props.id}-hint` : ''].filter(Boolean);
  return (
    <div>
      <label for={props.id} class="label">
        {props.label}
      </label>
      <textarea
        id={props.id}
        name={props.name}
        rows={3}
        class="input"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described.join(' ') || undefined}
      >
        {props.value}
      </textarea>
      {props.hint && (
        <p id={`${props.id}-hint`} class="mt-1 text-xs text-slate-600">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

const topFields = ['name', 'allowedOrigins', 'consentText', 'successMessage', 'redirectUrl', 'submitLabel', 'fields'];

/** The create/edit form for a lead-capture form; errors land beside the input (or row) the API named. */
export function LeadFormEditor(props: {
  draft: LeadFormDraft;
  csrf: string;
  failed?: { key: string; error: ApiFailure };
}) {
  const { draft, failed } = props;
  const key = 'editor';
  const err = (path: string) => errorFor(failed, key, path);
  const rows = [
    ...draft.fields,
    ...Array.from({ length: SPARE_ROWS }, () => ({
      name: '',
      label: '',
      type: 'text',
      leadField: '',
      required: false,
      options: '',
    })),
  ];
  const fieldsError = failed?.key === key ? failed.error.details.find((d) => d.path === 'fields')?.message : undefined;
  return (
    <form method="post" class="space-y-4" noValidate>
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="intent" value={draft.id ? 'update' : 'create'} />
      {draft.id && <input type="hidden" name="formId" value={draft.id} />}
      {draft.version && <input type="hidden" name="version" value={draft.version} />}
      <Outcome error={generalError(failed, key, topFields)} />
      <TextField id="form-name" name="name" label="Form name" value={draft.name} error={err('name')} />
      <fieldset class="space-y-3">
        <legend class="label">Fields (rows left without a name are ignored)</legend>
        {fieldsError && <p class="field-error">{fieldsError}</p>}
        {rows.map((f, i) => (
          <div
            key={i}
            class="grid grid-cols-1 gap-2 rounded-md border border-slate-200 p-2 sm:grid-cols-3 lg:grid-cols-6 lg:items-end"
          >
            <TextField
              id={`row-${i}-name`}
              name={`fields.${i}.name`}
              label={`Field ${i + 1} name`}
              value={f.name}
              error={err(`fields.${i}.name`)}
            />
            <TextField
              id={`row-${i}-label`}
              name={`fields.${i}.label`}
              label="Label"
              value={f.label}
              error={err(`fields.${i}.label`)}
            />
            <SelectField
              id={`row-${i}-type`}
              name={`fields.${i}.type`}
              label="Type"
              value={f.type}
              options={fieldTypes}
              error={err(`fields.${i}.type`)}
            />
            <SelectField
              id={`row-${i}-leadField`}
              name={`fields.${i}.leadField`}
              label="Fills lead field"
              value={f.leadField}
              options={leadFields}
              error={err(`fields.${i}.leadField`)}
            />
            <TextField
              id={`row-${i}-options`}
              name={`fields.${i}.options`}
              label="Options (select)"
              hint="Comma-separated"
              value={f.options}
              error={err(`fields.${i}.options`)}
            />
            <div class="flex items-center gap-2 pb-2">
              <input
                id={`row-${i}-required`}
                name={`fields.${i}.required`}
                type="checkbox"
                class="h-4 w-4"
                checked={f.required}
              />
              <label for={`row-${i}-required`} class="text-sm">
                Required
              </label>
            </div>
          </div>
        ))}
      </fieldset>
      <Area
        id="form-allowedOrigins"
        name="allowedOrigins"
        label="Allowed origins, one per line"
        hint="The sites that may embed the form, e.g. https://www.example.com"
        value={draft.allowedOrigins}
        error={err('allowedOrigins')}
      />
      <Area
        id="form-consentText"
        name="consentText"
        label="Consent text (optional)"
        value={draft.consentText}
        error={err('consentText')}
      />
      <div class="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <TextField
          id="form-submitLabel"
          name="submitLabel"
          label="Button label"
          value={draft.submitLabel}
          error={err('submitLabel')}
        />
        <TextField
          id="form-successMessage"
          name="successMessage"
          label="Success message"
          value={draft.successMessage}
          error={err('successMessage')}
        />
        <TextField
          id="form-redirectUrl"
          name="redirectUrl"
          type="url"
          label="Or redirect to (optional)"
          value={draft.redirectUrl}
          error={err('redirectUrl')}
        />
      </div>
      <div class="flex items-center gap-2">
        <input id="form-active" name="active" type="checkbox" class="h-4 w-4" checked={draft.active} />
        <label for="form-active" class="text-sm">
          Accepting submissions
        </label>
      </div>
      <div class="flex gap-2">
        <button type="submit" class="btn-primary">
          {draft.id ? 'Save form' : 'Create form'}
        </button>
        <a href="/settings/forms" class="btn-secondary">
          Cancel
        </a>
      </div>
    </form>
  );
}
