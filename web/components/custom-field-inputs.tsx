import type { ApiFailure } from '../api.ts';

/** A custom field definition as GET /api/v1/custom-fields lists it. */
export type CustomFieldDefinition = {
  id: string;
  entity: string;
  key: string;
  label: string;
  type: string;
  options: string[] | null;
  required: boolean;
  position: number;
};
type Values = Record<string, string | string[]>;

const inputName = (key: string) => `cf.${key}`;

/** The organization's fields for one record type, in their order; none when the list cannot be read. */
export async function customFieldsFor(
  api: <T>(path: string) => Promise<{ ok: true; data: T } | { ok: false }>,
  entity: string,
): Promise<CustomFieldDefinition[]> {
  const list = await api<{ data: CustomFieldDefinition[] }>('/api/v1/custom-fields');
  if (!list.ok) return [];
  return list.data.data.filter((f) => f.entity === entity).sort((a, b) => a.position - b.position);
}

/** Reads the posted custom-field inputs into the API's `customFields` (typed), plus the raw values to re-show. */
export function customFieldValues(form: FormData, definitions: CustomFieldDefinition[]) {
  const values: Record<string, string | number | boolean | string[]> = {};
  const raw: Values = {};
  for (const f of definitions) {
    const name = inputName(f.key);
    if (f.type === 'multi_select') {
      const picked = form.getAll(name).map(String);
      raw[f.key] = picked;
      if (picked.length) values[f.key] = picked;
    } else if (f.type === 'boolean') {
      raw[f.key] = form.get(name) === 'on' ? 'on' : '';
      if (form.get(name) === 'on') values[f.key] = true;
    } else {
      const text = String(form.get(name) ?? '').trim();
      raw[f.key] = text;
      if (text === '') continue;
      const number = Number(text);
      values[f.key] = f.type === 'number' && Number.isFinite(number) ? number : text;
    }
  }
  return { values, raw };
}

/** Inputs for a record's custom fields, each labelled, with the API's error for `customFields.<key>` beneath. */
export function CustomFieldInputs(props: {
  definitions: CustomFieldDefinition[];
  values?: Values;
  error?: ApiFailure;
}) {
  const errorOf = (key: string) =>
    props.error?.details.find((d) => d.path === `customFields.${key}` || d.path.startsWith(`customFields.${key}.`))
      ?.message;
  return (
    <>
      {props.definitions.map((f) => {
        const id = `cf-${f.key}`;
        const error = errorOf(f.key);
        const value = props.values?.[f.key];
        const aria = {
          'aria-invalid': error ? ('true' as const) : undefined,
          'aria-describedby': error ? `${id}-error` : undefined,
        };
        const label = `${f.label}${f.required ? ' *' : ''}`;
        let control = (
          <>
            <label for={id} class="label">
              {label}
            </label>
            <input
              id={id}
              name={inputName(f.key)}
              type={(f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text') as 'text'}
              value={typeof value === 'string' ? value : ''}
              class="input"
              {...aria}
            />
          </>
        );
        if (f.type === 'select') {
          control = (
            <>
              <label for={id} class="label">
                {label}
              </label>
              <select id={id} name={inputName(f.key)} class="input" {...aria}>
                <option value="">—</option>
                {(f.options ?? []).map((o) => (
                  <option key={o} value={o} selected={value === o}>
                    {o}
                  </option>
                ))}
              </select>
            </>
          );
        } else if (f.type === 'multi_select' || f.type === 'boolean') {
          const options = f.type === 'boolean' ? [['on', 'Yes']] : (f.options ?? []).map((o) => [o, o]);
          control = (
            <fieldset {...aria}>
              <legend class="label">{label}</legend>
              <div class="mt-1 flex flex-wrap gap-3">
                {options.map(([v, text]) => (
                  <label key={v} class="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      name={inputName(f.key)}
                      value={v}
                      class="h-4 w-4"
                      checked={Array.isArray(value) ? value.includes(v!) : value === v}
                    />
                    {text}
                  </label>
                ))}
              </div>
            </fieldset>
          );
        }
        return (
          <div key={f.id} class="field" data-custom-field={f.key}>
            {control}
            {error && (
              <p id={`${id}-error`} class="field-error">
                {error}
              </p>
            )}
          </div>
        );
      })}
    </>
  );
}
