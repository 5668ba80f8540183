import type { ComponentChildren } from 'preact';
import type { ApiCaller, ApiFailure } from '../api.ts';
import type { Me } from '../route.ts';
import { Alert, PageTitle } from './ui.tsx';

/** Pieces the contact and company pages share: labels, selects, formatting and the "not found" page. */

export const lifecycleLabels: Record<string, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
};

export type UserOption = { id: string; name: string; email: string };
export type CompanyOption = { id: string; name: string };

export const personName = (p: { firstName: string; lastName: string; email: string | null; phone?: string | null }) =>
  `${p.firstName} ${p.lastName}`.trim() || p.email || p.phone || '(no name)';

/** "a, b" in a text box ↔ the API's tag array. */
export const tagsFromText = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

export function Detail(props: { label: string; value?: string | null; children?: ComponentChildren }) {
  return (
    <div>
      <dt class="text-xs font-medium uppercase text-slate-600">{props.label}</dt>
      <dd class="mt-0.5 break-words">{props.children ?? (props.value || '—')}</dd>
    </div>
  );
}

/** A labelled select with the API's error for it under it, tied by aria-describedby. */
export function SelectField(props: {
  name: string;
  label: string;
  value: string | null | undefined;
  options: readonly (readonly [string, string])[];
  empty?: string;
  error?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id} class="label">
        {props.label}
      </label>
      <select
        id={id}
        name={props.name}
        class="input"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      >
        {props.empty !== undefined && <option value="">{props.empty}</option>}
        {props.options.map(([value, label]) => (
          <option key={value} value={value} selected={props.value === value}>
            {label}
          </option>
        ))}
      </select>
      {props.error && (
        <p id={`${id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export const userOptions = (users: UserOption[], me: Me | null) =>
  users.map((u) => [u.id, u.id === me?.user?.id ? `${u.name || u.email} (me)` : u.name || u.email] as const);

/** The organization's users, for owner pickers; an empty list when the caller may not read them. */
export async function loadUsers(api: ApiCaller): Promise<UserOption[]> {
  type User = UserOption & { status: string };
  const answer = await api<{ data: User[] }>('/api/v1/users');
  if (!answer.ok) return [];
  // Disabled users stay in the list: a record they still own must keep its owner when its form is saved.
  return answer.data.data
    .map((u) => ({
      id: u.id,
      name: u.status === 'disabled' ? `${u.name || u.email} (disabled)` : u.name,
      email: u.email,
    }))
    .sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
}

/** The most recent companies for a picker, with the currently chosen one first even when it is older than those. */
export async function loadCompanyOptions(api: ApiCaller, chosen?: string | null): Promise<CompanyOption[]> {
  const [page, current] = await Promise.all([
    api<{ data: CompanyOption[] }>('/api/v1/companies?limit=100'),
    chosen ? api<CompanyOption>(`/api/v1/companies/${encodeURIComponent(chosen)}`) : null,
  ]);
  const options = page.ok ? page.data.data.map((c) => ({ id: c.id, name: c.name })) : [];
  if (current?.ok && !options.some((c) => c.id === current.data.id)) {
    options.unshift({ id: current.data.id, name: current.data.name });
  }
  return options;
}

/** Names of the given companies (each looked up once, in parallel); unknown or invisible ones are left out. */
export async function companyNames(api: ApiCaller, ids: (string | null)[]): Promise<Record<string, string>> {
  const distinct = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const answers = await Promise.all(distinct.map((id) => api<CompanyOption>(`/api/v1/companies/${id}`)));
  return Object.fromEntries(answers.flatMap((a) => (a.ok ? [[a.data.id, a.data.name]] : [])));
}

/** A 404, or an id that is not one (or another organization's), all read the same: there is no such record here. */
export const isNotFound = (error: ApiFailure) => error.status === 404 || error.status === 400;

export function NotFound(props: { what: 'Contact' | 'Company'; listHref: string; error?: ApiFailure }) {
  const missing = !props.error || isNotFound(props.error);
  return (
    <>
      <PageTitle>{missing ? `${props.what} not found` : props.what}</PageTitle>
      <Alert>
        {missing
          ? `This ${props.what.toLowerCase()} does not exist, was deleted, or is not yours to see.`
          : props.error?.message}
      </Alert>
      <p class="mt-4">
        <a href={props.listHref} class="text-indigo-700 underline">
          Back to all {props.what === 'Contact' ? 'contacts' : 'companies'}
        </a>
      </p>
    </>
  );
}

/** The message a 412 from If-Match gets: someone else saved first, so this form's values are stale. */
export const conflictMessage = (what: string) =>
  `This ${what} was changed by someone else since you opened it. Reload the page to see their changes, then edit again.`;
