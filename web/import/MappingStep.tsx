import { identityFields } from '../../regions/imports/fields.ts';
import { CUSTOM_PREFIX, type CustomFieldInfo, fieldLabel, type ImportView, type MappingDraft } from './model.ts';

type Props = {
  imp: ImportView;
  custom: CustomFieldInfo[];
  draft: MappingDraft;
  /** The mapping the API suggested on upload, marked as such beside each column. */
  suggested: Record<string, string>;
  onDuplicate: 'skip' | 'update';
  /** Problems by column (found here, or named by the API at `mapping.<column>`), and the rest. */
  columnErrors: Record<string, string>;
  generalErrors: string[];
  busy: boolean;
  onMap(header: string, field: string): void;
  onDuplicateChange(value: 'skip' | 'update'): void;
  onSubmit(): void;
};

/** Each CSV column beside the field it fills (or "Don't import"), with what the import needs before it can start. */
export function MappingStep(props: Props) {
  const { imp, custom } = props;
  const builtIn = imp.fields.filter((f) => !f.startsWith(CUSTOM_PREFIX));
  const customFields = imp.fields.filter((f) => f.startsWith(CUSTOM_PREFIX));
  const requiredCustom = custom.filter((c) => c.required);
  return (
    <form
      class="space-y-4"
      aria-labelledby="mapping-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      <h2 id="mapping-heading" class="text-lg font-semibold">
        Map columns to fields
      </h2>
      <p class="text-sm text-slate-700">
        Suggested fields are already chosen. Required: at least one of{' '}
        {identityFields[imp.entity].map((f) => fieldLabel(f, custom)).join(', ')}
        {requiredCustom.length > 0 && `; for new records also ${requiredCustom.map((c) => c.label).join(', ')}`}.
      </p>
      {props.generalErrors.length > 0 && (
        <div id="mapping-errors" role="alert" tabIndex={-1} class="alert-error">
          <p class="font-semibold">The mapping is not ready:</p>
          <ul class="ml-5 list-disc">
            {props.generalErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table class="min-w-full text-sm">
          <caption class="sr-only">Columns of {imp.filename} and the fields they fill</caption>
          <thead class="bg-slate-50 text-left">
            <tr>
              <th scope="col" class="px-3 py-2 font-semibold">
                Column in the file
              </th>
              <th scope="col" class="px-3 py-2 font-semibold">
                Imported into
              </th>
            </tr>
          </thead>
          <tbody>
            {imp.headers.map((header, i) => {
              const id = `map-${i}`;
              const error = props.columnErrors[header];
              const value = props.draft[header] ?? '';
              const isSuggestion = value !== '' && props.suggested[header] === value;
              return (
                <tr key={header} class="border-t border-slate-200 align-top">
                  <th scope="row" class="px-3 py-2 text-left font-medium">
                    <label for={id}>{header}</label>
                  </th>
                  <td class="px-3 py-2">
                    <div class="flex flex-wrap items-center gap-2">
                      <select
                        id={id}
                        class="input mt-0 w-full sm:w-auto sm:min-w-56"
                        value={value}
                        disabled={props.busy}
                        aria-invalid={error ? 'true' : undefined}
                        aria-describedby={
                          [error ? `${id}-error` : '', isSuggestion ? `${id}-suggested` : '']
                            .filter(Boolean)
                            .join(' ') || undefined
                        }
                        onChange={(event) => props.onMap(header, (event.currentTarget as HTMLSelectElement).value)}
                      >
                        <option value="">Don’t import</option>
                        <optgroup label="Fields">
                          {builtIn.map((f) => (
                            <option key={f} value={f}>
                              {fieldLabel(f, custom)}
                            </option>
                          ))}
                        </optgroup>
                        {customFields.length > 0 && (
                          <optgroup label="Custom fields">
                            {customFields.map((f) => (
                              <option key={f} value={f}>
                                {fieldLabel(f, custom)}
                              </option>
                            ))}
                          </optgroup>
                        )}
                      </select>
                      {isSuggestion && (
                        <span id={`${id}-suggested`} class="text-xs text-slate-600">
                          Suggested
                        </span>
                      )}
                    </div>
                    {error && (
                      <p id={`${id}-error`} class="field-error">
                        {error}
                      </p>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <fieldset>
        <legend class="label">A row whose {imp.entity === 'company' ? 'domain' : 'email'} is already in the CRM</legend>
        <div class="mt-2 flex flex-wrap gap-4 text-sm">
          {(['skip', 'update'] as const).map((option) => (
            <label key={option} class="inline-flex items-center gap-2">
              <input
                type="radio"
                name="onDuplicate"
                value={option}
                checked={props.onDuplicate === option}
                disabled={props.busy}
                onChange={() => props.onDuplicateChange(option)}
              />
              {option === 'skip' ? 'Skip it, keep the existing record' : 'Update the existing record'}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" class="btn-primary" disabled={props.busy}>
        {props.busy ? 'Checking…' : 'Save mapping and preview'}
      </button>
    </form>
  );
}
