import { describe, expect, it } from 'vitest';
import { type CustomFieldDefinition, customFieldValues } from './custom-field-inputs.tsx';
import { blankForm, bodyFromDraft, draftFromForm } from './lead-form-editor.tsx';

const posted = (entries: [string, string][]) => {
  const form = new FormData();
  for (const [k, v] of entries) form.append(k, v);
  return form;
};

describe('lead-form editor', () => {
  it('reads posted rows back, dropping empty ones, and builds the API body', () => {
    const draft = draftFromForm(
      posted([
        ['formId', 'f1'],
        ['version', '3'],
        ['name', ' Contact us '],
        ['fields.0.name', 'email'],
        ['fields.0.label', 'Email'],
        ['fields.0.type', 'email'],
        ['fields.0.leadField', 'email'],
        ['fields.0.required', 'on'],
        ['fields.1.name', 'size'],
        ['fields.1.label', 'Team size'],
        ['fields.1.type', 'select'],
        ['fields.1.leadField', ''],
        ['fields.1.options', '1-10, 11-50'],
        ['fields.2.name', ''],
        ['fields.2.label', ''],
        ['allowedOrigins', 'https://a.example\nhttps://b.example'],
        ['consentText', ''],
        ['successMessage', 'Thanks'],
        ['redirectUrl', ''],
        ['submitLabel', 'Send'],
      ]),
    );
    expect(draft).toMatchObject({ id: 'f1', version: 3, name: 'Contact us', active: false });
    expect(draft.fields).toHaveLength(2);
    expect(bodyFromDraft(draft)).toEqual({
      name: 'Contact us',
      fields: [
        { name: 'email', label: 'Email', type: 'email', required: true, leadField: 'email' },
        { name: 'size', label: 'Team size', type: 'select', required: false, options: ['1-10', '11-50'] },
      ],
      allowedOrigins: ['https://a.example', 'https://b.example'],
      consentText: null,
      successMessage: 'Thanks',
      redirectUrl: null,
      submitLabel: 'Send',
      active: false,
    });
  });

  it('starts a new form with an email field', () => {
    expect(blankForm().fields[0]).toMatchObject({ name: 'email', leadField: 'email', required: true });
  });
});

describe('custom field inputs', () => {
  const def = (key: string, type: string): CustomFieldDefinition => ({
    id: key,
    entity: 'lead',
    key,
    label: key,
    type,
    options: ['a', 'b'],
    required: false,
    position: 0,
  });
  it('types each posted value by its definition and leaves empty ones out', () => {
    const defs = [def('tier', 'select'), def('seats', 'number'), def('tags', 'multi_select'), def('vip', 'boolean')];
    defs.push(def('note', 'text'));
    const { values, raw } = customFieldValues(
      posted([
        ['cf.tier', 'a'],
        ['cf.seats', '120'],
        ['cf.tags', 'a'],
        ['cf.tags', 'b'],
        ['cf.vip', 'on'],
        ['cf.note', ''],
      ]),
      defs,
    );
    expect(values).toEqual({ tier: 'a', seats: 120, tags: ['a', 'b'], vip: true });
    expect(raw.note).toBe('');
    // A number the browser let through unparsed goes to the API as text, which names the field in its 400.
    expect(customFieldValues(posted([['cf.seats', 'many']]), [def('seats', 'number')]).values).toEqual({
      seats: 'many',
    });
  });
});
