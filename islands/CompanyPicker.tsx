import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api } from '../web/client/api.ts';
import { island } from '../web/island.tsx';

type Option = { id: string; name: string };
type Props = { name: string; label: string; value: string | null; options: Option[]; error?: string };

/**
 * A company select for forms: the server renders it with the most recent companies (so it works before any script
 * runs), and once hydrated a box above it narrows the choice by name through GET /api/v1/companies?q=, which
 * reaches every company however many there are. The chosen one stays among the options.
 */
function CompanyPicker(props: Props) {
  const options = useSignal(props.options);
  const selected = useSignal(props.value ?? '');
  const find = useSignal('');
  const status = useSignal('');
  const id = `f-${props.name}`;

  useEffect(() => {
    const q = find.value.trim();
    if (!q) {
      options.value = props.options;
      status.value = '';
      return;
    }
    status.value = 'Searching…';
    const timer = setTimeout(async () => {
      const result = await api<{ data: Option[] }>(`/api/v1/companies?limit=50&q=${encodeURIComponent(q)}`);
      if (q !== find.value.trim()) return;
      if (!result.ok) {
        status.value = result.error.message;
        return;
      }
      const found = result.data.data.map((c) => ({ id: c.id, name: c.name }));
      const current = [...props.options, ...options.value].find((c) => c.id === selected.value);
      options.value = current && !found.some((c) => c.id === current.id) ? [current, ...found] : found;
      status.value =
        found.length === 0
          ? 'No company starts with that'
          : `${found.length} ${found.length === 1 ? 'company' : 'companies'} found`;
    }, 250);
    return () => clearTimeout(timer);
  }, [find.value]);

  return (
    <div class="field">
      <label for={id} class="label">
        {props.label}
      </label>
      <div class="flex flex-col gap-1 sm:flex-row">
        <select
          id={id}
          name={props.name}
          class="input sm:w-1/2"
          value={selected.value}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
          onChange={(e) => {
            selected.value = (e.target as HTMLSelectElement).value;
          }}
        >
          {/* `selected` as well as the select's value: the server's HTML has no script to apply the value. */}
          <option value="" selected={selected.value === ''}>
            No company
          </option>
          {options.value.map((c) => (
            <option key={c.id} value={c.id} selected={c.id === selected.value}>
              {c.name}
            </option>
          ))}
        </select>
        <input
          type="search"
          class="input sm:w-1/2"
          aria-label={`Find ${props.label.toLowerCase()} by name`}
          placeholder="Find by name…"
          value={find.value}
          onInput={(e) => {
            find.value = (e.target as HTMLInputElement).value;
          }}
        />
      </div>
      <p class="sr-only" role="status" aria-live="polite">
        {status.value}
      </p>
      {props.error && (
        <p id={`${id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export default island('CompanyPicker', CompanyPicker);
