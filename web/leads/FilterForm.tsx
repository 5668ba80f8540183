import { leadStatuses } from '../../db/schema/lead-statuses.ts';
import { type ApiFailure, fieldError } from '../api.ts';
import { statusLabels } from '../components/ui.tsx';
import { type CustomFieldDef, defaultSort, type Filters } from './query.ts';

export type UserOption = { id: string; name: string; email: string };

type Props = {
  filters: Filters;
  sort: string;
  fields: CustomFieldDef[];
  users: UserOption[];
  error?: ApiFailure;
};

/**
 * The list's filters as a plain GET form: applying them is a navigation, so the URL always says what is shown and
 * works without JavaScript. An error the API reports for a filter shows under that filter.
 */
export function FilterForm({ filters, sort, fields, users, error }: Props) {
  const input = (name: string, label: string, extra: Record<string, string> = {}) => {
    const id = `filter-${name.replace('.', '-')}`;
    const problem = fieldError(error, name);
    return (
      <div>
        <label for={id} class="label">
          {label}
        </label>
        <input
          id={id}
          name={name}
          class="input"
          value={filters[name] ?? ''}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
          {...extra}
        />
        {problem && (
          <p id={`${id}-error`} class="field-error">
            {problem}
          </p>
        )}
      </div>
    );
  };
  const choice = (name: string, label: string, any: string, options: [string, string][]) => (
    <div>
      <label for={`filter-${name.replace('.', '-')}`} class="label">
        {label}
      </label>
      <select id={`filter-${name.replace('.', '-')}`} name={name} class="input">
        <option value="">{any}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value} selected={filters[name] === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  const active = Object.keys(filters).length > 0;
  return (
    <form
      method="get"
      action="/leads"
      class="mb-4 grid grid-cols-2 items-end gap-3 sm:grid-cols-4 lg:grid-cols-8"
      aria-label="Filter leads"
    >
      <div class="col-span-2">{input('q', 'Search', { type: 'search', placeholder: 'Name, email or company' })}</div>
      {choice(
        'status',
        'Status',
        'Any status',
        leadStatuses.map((s) => [s, statusLabels[s] ?? s]),
      )}
      {choice(
        'ownerId',
        'Owner',
        'Anyone',
        users.map((u) => [u.id, u.name || u.email]),
      )}
      {input('source', 'Source', { placeholder: 'e.g. referral' })}
      {input('tag', 'Tag')}
      {input('scoreMin', 'Score from', { type: 'number', min: '0', max: '100', inputmode: 'numeric' })}
      {input('scoreMax', 'Score to', { type: 'number', min: '0', max: '100', inputmode: 'numeric' })}
      {fields.map((field) =>
        field.type === 'select' || field.type === 'multi_select'
          ? choice(
              `cf.${field.key}`,
              field.label,
              'Any',
              (field.options ?? []).map((o) => [o, o]),
            )
          : field.type === 'boolean'
            ? choice(`cf.${field.key}`, field.label, 'Any', [
                ['true', 'Yes'],
                ['false', 'No'],
              ])
            : input(`cf.${field.key}`, field.label, field.type === 'date' ? { type: 'date' } : {}),
      )}
      {sort !== defaultSort && <input type="hidden" name="sort" value={sort} />}
      <div class="col-span-2 flex items-center gap-3">
        <button type="submit" class="btn-secondary">
          Apply filters
        </button>
        {active && (
          <a href={sort === defaultSort ? '/leads' : `/leads?sort=${sort}`} class="text-sm text-indigo-700 underline">
            Clear
          </a>
        )}
      </div>
    </form>
  );
}
