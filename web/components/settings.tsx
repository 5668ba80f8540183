import type { ComponentChildren } from 'preact';
import type { ApiFailure } from '../api.ts';
import type { Me } from '../route.ts';
import { Alert } from './ui.tsx';

/** The settings sections, each with the permission its page needs (none: every member has a profile). */
export const settingsSections = [
  { href: '/settings', label: 'Profile and preferences', permission: null },
  { href: '/settings/sessions', label: 'Sessions', permission: null },
  { href: '/settings/security', label: 'Security and MFA', permission: null },
  { href: '/settings/sso', label: 'Single sign-on', permission: 'settings:manage' },
  { href: '/settings/users', label: 'Users and roles', permission: 'users:manage' },
  { href: '/settings/api-keys', label: 'API keys', permission: 'api_keys:manage' },
  { href: '/settings/pipelines', label: 'Pipelines and stages', permission: 'pipelines:manage' },
  { href: '/settings/custom-fields', label: 'Custom fields', permission: 'settings:manage' },
  { href: '/settings/forms', label: 'Forms', permission: 'forms:manage' },
  { href: '/settings/webhooks', label: 'Webhooks', permission: 'webhooks:manage' },
] as const;

export type SettingsHref = (typeof settingsSections)[number]['href'];

export const allowed = (me: Me | null, href: SettingsHref) => {
  const section = settingsSections.find((s) => s.href === href);
  return !section?.permission || Boolean(me?.permissions.includes(section.permission));
};

/**
 * Every settings page's frame: a sub-navigation on the left (above the content on a phone) and the section.
 * Sections the member may not use stay listed but marked, so the way to ask an admin is clear.
 */
export function SettingsShell(props: {
  me: Me | null;
  current: SettingsHref;
  title: string;
  children: ComponentChildren;
}) {
  return (
    <div class="flex flex-col gap-6 md:flex-row">
      <nav aria-label="Settings" class="md:w-56 md:shrink-0">
        <p class="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-600">Settings</p>
        <ul class="flex gap-1 overflow-x-auto md:flex-col">
          {settingsSections.map((s) => (
            <li key={s.href}>
              <a
                href={s.href}
                aria-current={s.href === props.current ? 'page' : undefined}
                class="block whitespace-nowrap rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-800"
              >
                {s.label}
                {!allowed(props.me, s.href) && <span class="sr-only"> (admins only)</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="min-w-0 flex-1">
        <h1 class="mb-4 text-2xl font-semibold tracking-tight">{props.title}</h1>
        {props.children}
      </div>
    </div>
  );
}

/** What a member without the section's permission sees, with a 403 status. */
export function NoAccess(props: { what: string }) {
  return (
    <div class="card" data-testid="forbidden">
      <h2 class="font-semibold">You do not have access to {props.what}</h2>
      <p class="mt-2 text-sm text-slate-700">
        Only members with the right role (usually admins) can manage this. Ask an admin of your organization if you need
        a change here.
      </p>
    </div>
  );
}

/** A page's one-line outcome: a success notice, or an error not tied to any field. */
export function Outcome(props: { notice?: string | null; error?: string | null }) {
  return (
    <>
      {props.notice && <Alert tone="info">{props.notice}</Alert>}
      {props.error && <Alert>{props.error}</Alert>}
    </>
  );
}

/** A labelled select; `error` shows beneath it and marks it invalid. */
export function SelectField(props: {
  id: string;
  name: string;
  label: string;
  value?: string | null;
  options: readonly (readonly [string, string])[];
  error?: string;
  class?: string;
}) {
  return (
    <div class={props.class}>
      <label for={props.id} class="label">
        {props.label}
      </label>
      <select
        id={props.id}
        name={props.name}
        class="input"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value} selected={value === (props.value ?? '')}>
            {label}
          </option>
        ))}
      </select>
      {props.error && (
        <p id={`${props.id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A labelled text input with an id of the page's choosing (several forms on one page reuse field names). */
export function TextField(props: {
  id: string;
  name: string;
  label: string;
  value?: string | number | null;
  error?: string;
  type?: string;
  hint?: string;
  required?: boolean;
  class?: string;
  min?: number;
  max?: number;
}) {
  const described = [props.error ? `${props.id}-error` : '', props.hint ? `${props.id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.class}>
      <label for={props.id} class="label">
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        required={props.required}
        min={props.min}
        max={props.max}
        class="input"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
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

/** The message for a field of the failed action `key`, if that is the action that failed. */
export function errorFor(failed: { key: string; error: ApiFailure } | undefined, key: string, field: string) {
  if (!failed || failed.key !== key) return undefined;
  return failed.error.details.find((d) => d.path === field || d.path.startsWith(`${field}.`))?.message;
}

/** The failed action's message when none of its fields carries it (so it shows once, at the form's top). */
export function generalError(failed: { key: string; error: ApiFailure } | undefined, key: string, fields: string[]) {
  if (!failed || failed.key !== key) return undefined;
  const placed = failed.error.details.some((d) => fields.some((f) => d.path === f || d.path.startsWith(`${f}.`)));
  return placed ? undefined : failed.error.message;
}

export const roleLabels: Record<string, string> = {
  admin: 'Admin',
  manager: 'Manager',
  sales_rep: 'Sales rep',
  viewer: 'Viewer',
};

export const formText = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
