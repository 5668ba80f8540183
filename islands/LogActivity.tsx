import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import {
  type Activity,
  type ActivityDraft,
  type ActivityKind,
  type ActivityLoggedDetail,
  activityInput,
  activityKinds,
  activityLoggedEvent,
  emptyDraft,
  kindLabels,
  outcomeLabels,
  priorityLabels,
  type SubjectType,
} from '../web/activities.ts';
import { type ApiFailure, fieldError } from '../web/api.ts';
import { api } from '../web/client/api.ts';
import { island } from '../web/island.tsx';

type Props = { subjectType: SubjectType; subjectId: string };
type TextKey = Exclude<keyof ActivityDraft, 'kind'>;

/** Which inputs each type shows, and the API field each one's errors come back under. */
const apiField: Record<TextKey, string> = {
  subject: 'subject',
  body: 'body',
  durationMinutes: 'durationSeconds',
  outcome: 'outcome',
  startsAt: 'startsAt',
  endsAt: 'endsAt',
  attendees: 'attendees',
  dueAt: 'dueAt',
  priority: 'priority',
  emailDirection: 'emailDirection',
  emailFrom: 'emailFrom',
  emailTo: 'emailTo',
};
const fieldsOf: Record<ActivityKind, TextKey[]> = {
  call: ['subject', 'durationMinutes', 'outcome', 'body'],
  meeting: ['subject', 'startsAt', 'endsAt', 'attendees', 'body'],
  note: ['body', 'subject'],
  task: ['subject', 'dueAt', 'priority', 'body'],
  email: ['subject', 'emailDirection', 'emailFrom', 'emailTo', 'body'],
};
const verbs: Record<ActivityKind, string> = {
  call: 'Log call',
  meeting: 'Log meeting',
  note: 'Save note',
  task: 'Create task',
  email: 'Log email',
};

/** A label, its input and the input's hint and error. Module-level, so typing never remounts the input. */
function Control(p: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  wide?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={p.wide ? 'sm:col-span-2' : undefined}>
      <label for={p.id} class="label">
        {p.label}
      </label>
      {p.children}
      {p.hint && (
        <p id={`${p.id}-hint`} class="mt-1 text-xs text-slate-600">
          {p.hint}
        </p>
      )}
      {p.error && (
        <p id={`${p.id}-error`} class="field-error">
          {p.error}
        </p>
      )}
    </div>
  );
}

/**
 * "Log a call, meeting, note, task or email" on any record's page. The API's validation errors show beside the
 * inputs they name; a saved activity goes to the page's timeline (ActivityTimeline takes the event) or, when the
 * page has none that takes it, the page reloads to show it.
 */
function LogActivity(props: Props) {
  const draft = useSignal<ActivityDraft>(emptyDraft('call'));
  const saving = useSignal(false);
  const error = useSignal<ApiFailure | null>(null);
  const status = useSignal('');
  const id = (key: string) => `log-${props.subjectType}-${key}`;

  const set = (key: TextKey, value: string) => {
    draft.value = { ...draft.value, [key]: value };
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (saving.value) return;
    const kind = draft.value.kind;
    const input = activityInput(draft.value, { type: props.subjectType, id: props.subjectId });
    if (!input.ok) {
      error.value = {
        status: 400,
        code: 'validation_failed',
        message: 'Check the fields marked',
        details: input.issues,
      };
      return;
    }
    saving.value = true;
    error.value = null;
    status.value = 'Saving…';
    const result = await api<Activity>('/api/v1/activities', { method: 'POST', body: input.body });
    saving.value = false;
    if (!result.ok) {
      error.value = result.error;
      status.value = '';
      return;
    }
    draft.value = emptyDraft(kind);
    status.value = `${kindLabels[kind]} saved.`;
    const detail: ActivityLoggedDetail = {
      activity: result.data,
      subjectType: props.subjectType,
      subjectId: props.subjectId,
    };
    const unhandled = window.dispatchEvent(new CustomEvent(activityLoggedEvent, { detail, cancelable: true }));
    if (unhandled) location.reload();
  }

  const errorOf = (key: TextKey) => fieldError(error.value, apiField[key]);
  const placed = (error.value?.details ?? []).some((d) =>
    fieldsOf[draft.value.kind].some((k) => d.path === apiField[k] || d.path.startsWith(`${apiField[k]}.`)),
  );

  const common = (field: TextKey, hint?: string) => ({
    id: id(field),
    name: field,
    class: 'input',
    value: draft.value[field],
    'aria-invalid': errorOf(field) ? ('true' as const) : undefined,
    'aria-describedby':
      [errorOf(field) ? `${id(field)}-error` : '', hint ? `${id(field)}-hint` : ''].filter(Boolean).join(' ') ||
      undefined,
    onInput: (e: Event) => set(field, (e.target as HTMLInputElement).value),
  });

  const text = (field: TextKey, label: string, type = 'text', hint?: string) => (
    <Control key={field} id={id(field)} label={label} hint={hint} error={errorOf(field)}>
      <input type={type as 'text'} {...common(field, hint)} />
    </Control>
  );
  const choice = (field: TextKey, label: string, options: Record<string, string>, blank?: string) => (
    <Control key={field} id={id(field)} label={label} error={errorOf(field)}>
      <select {...common(field)} onChange={(e) => set(field, (e.target as HTMLSelectElement).value)}>
        {blank !== undefined && <option value="">{blank}</option>}
        {Object.entries(options).map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </Control>
  );

  const inputs: Record<TextKey, () => ComponentChildren> = {
    subject: () => text('subject', draft.value.kind === 'note' ? 'Subject (optional)' : 'Subject'),
    body: () => (
      <Control
        key="body"
        id={id('body')}
        label={draft.value.kind === 'note' ? 'Note text' : 'Notes (optional)'}
        error={errorOf('body')}
        wide
      >
        <textarea rows={3} {...common('body')} />
      </Control>
    ),
    durationMinutes: () => text('durationMinutes', 'Duration (minutes)', 'number'),
    outcome: () => choice('outcome', 'Outcome', outcomeLabels, 'Not recorded'),
    startsAt: () => text('startsAt', 'Starts', 'datetime-local'),
    endsAt: () => text('endsAt', 'Ends', 'datetime-local'),
    attendees: () => text('attendees', 'Attendees (optional)', 'text', 'Email addresses, separated by commas'),
    dueAt: () => text('dueAt', 'Due (optional)', 'datetime-local'),
    priority: () => choice('priority', 'Priority', priorityLabels),
    emailDirection: () => choice('emailDirection', 'Direction', { outbound: 'Sent', inbound: 'Received' }),
    emailFrom: () => text('emailFrom', 'From', 'email'),
    emailTo: () => text('emailTo', 'To', 'text', 'Email addresses, separated by commas'),
  };

  return (
    <form class="space-y-3" onSubmit={submit} aria-label="Log an activity" aria-busy={saving.value}>
      <fieldset>
        <legend class="label">Type</legend>
        <div class="mt-1 flex flex-wrap gap-1">
          {activityKinds.map((kind) => (
            <label
              key={kind}
              class="cursor-pointer rounded-md border border-slate-400 px-3 py-1 text-sm has-[:checked]:border-indigo-700 has-[:checked]:bg-indigo-50 has-[:checked]:text-indigo-900 has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600"
            >
              <input
                type="radio"
                name={`kind-${props.subjectType}`}
                value={kind}
                class="sr-only"
                checked={draft.value.kind === kind}
                onChange={() => {
                  draft.value = { ...draft.value, kind };
                  error.value = null;
                  status.value = '';
                }}
              />
              {kindLabels[kind]}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">{fieldsOf[draft.value.kind].map((f) => inputs[f]())}</div>
      {error.value && !placed && (
        <p role="alert" class="alert-error">
          {error.value.message}
        </p>
      )}
      <div class="flex flex-wrap items-center gap-3">
        <button type="submit" class="btn-primary" disabled={saving.value}>
          {saving.value ? 'Saving…' : verbs[draft.value.kind]}
        </button>
        <p role="status" aria-live="polite" class="text-sm text-slate-700">
          {status.value}
        </p>
      </div>
    </form>
  );
}

export default island('LogActivity', LogActivity);
