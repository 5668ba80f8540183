import type { ComponentChildren } from 'preact';

/** A labelled input with its error (from the API's `details`) right under it, tied by aria-describedby. */
export function Field(props: {
  name: string;
  label: string;
  type?: string;
  value?: string | null;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
}) {
  const id = `f-${props.name}`;
  const described = [props.error ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id} class="label">
        {props.label}
        {props.required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        required={props.required}
        autocomplete={props.autocomplete}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
        class="input"
      />
      {props.hint && (
        <p id={`${id}-hint`} class="mt-1 text-xs text-slate-600">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function Alert(props: { children: ComponentChildren; tone?: 'error' | 'info' }) {
  return (
    <div role={props.tone === 'info' ? 'status' : 'alert'} class={props.tone === 'info' ? 'alert-info' : 'alert-error'}>
      {props.children}
    </div>
  );
}

export function CsrfField(props: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={props.csrf} />;
}

export function PageTitle(props: { children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <div class="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 class="text-2xl font-semibold tracking-tight">{props.children}</h1>
      {props.actions && <div class="flex gap-2">{props.actions}</div>}
    </div>
  );
}

/** Lead statuses, in the order a rep moves through them. */
export const statusLabels: Record<string, string> = {
  new: 'New',
  contacted: 'Contacted',
  qualified: 'Qualified',
  unqualified: 'Unqualified',
  converted: 'Converted',
};
