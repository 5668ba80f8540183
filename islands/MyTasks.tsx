import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import {
  type Activity,
  knownTimeZone,
  linkField,
  priorityLabels,
  recordLinks,
  type SubjectType,
  sectionOf,
} from '../web/activities.ts';
import { type ApiFailure, fieldError, formError } from '../web/api.ts';
import { api } from '../web/client/api.ts';
import { type Display, formatWhen } from '../web/display.ts';
import { island } from '../web/island.tsx';
import { wallTimeToUtc } from '../web/zoned-time.ts';

type Section = 'today' | 'overdue' | 'upcoming';
type Props = {
  today: Activity[];
  overdue: Activity[];
  upcoming: Activity[];
  /** Display names of the records the tasks belong to, by id. */
  names: Record<string, string>;
  display: Display;
  canCreate: boolean;
};
type Hit = { type: SubjectType; id: string; title: string; subtitle: string | null };

const sectionTitles: Record<Section, string> = { today: 'Today', overdue: 'Overdue', upcoming: 'Upcoming' };
const typeNames: Record<SubjectType, string> = { lead: 'Lead', contact: 'Contact', company: 'Company', deal: 'Deal' };
const taskFields = ['subject', 'dueAt', 'priority', 'leadId', 'contactId', 'companyId', 'dealId'];

/**
 * The rep's tasks: today, overdue and upcoming, each ticked done in place (shown at once, put back with the
 * server's reason if it refuses), and a new task for any record found by name.
 */
function MyTasks(props: Props) {
  const lists = useSignal<Record<Section, Activity[]>>({
    today: props.today,
    overdue: props.overdue,
    upcoming: props.upcoming,
  });
  const names = useSignal(props.names);
  const rowErrors = useSignal<Record<string, string>>({});
  const status = useSignal('');
  const form = useSignal({ subject: '', dueAt: '', priority: 'normal', query: '' });
  const hits = useSignal<Hit[] | null>(null);
  const record = useSignal<Hit | null>(null);
  const error = useSignal<ApiFailure | null>(null);
  const busy = useSignal<'' | 'search' | 'save'>('');

  // Times follow the zone in the rep's profile; a browser elsewhere gets a pointer to change it, not a silent switch.
  const browserZone = useSignal<string | null>(null);
  useEffect(() => {
    const zone = knownTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    if (zone && zone !== props.display.timeZone) browserZone.value = zone;
  }, []);

  const replace = (next: Activity) => {
    const all = lists.value;
    lists.value = {
      today: all.today.map((t) => (t.id === next.id ? next : t)),
      overdue: all.overdue.map((t) => (t.id === next.id ? next : t)),
      upcoming: all.upcoming.map((t) => (t.id === next.id ? next : t)),
    };
  };

  async function toggle(task: Activity, done: boolean) {
    replace({ ...task, done });
    rowErrors.value = { ...rowErrors.value, [task.id]: '' };
    const result = await api<Activity>(`/api/v1/activities/${task.id}`, {
      method: 'PATCH',
      body: { done },
      headers: { 'if-match': `"v${task.version}"` },
    });
    if (result.ok) {
      replace(result.data);
      status.value = `${task.subject} marked ${done ? 'done' : 'not done'}`;
    } else {
      replace(task);
      rowErrors.value = { ...rowErrors.value, [task.id]: `Not saved: ${result.error.message}` };
    }
  }

  async function find() {
    const q = form.value.query.trim();
    if (!q) return;
    busy.value = 'search';
    const result = await api<{ data: Hit[] }>(`/api/v1/search?q=${encodeURIComponent(q)}&limit=8`);
    busy.value = '';
    if (!result.ok) {
      error.value = result.error;
      return;
    }
    hits.value = result.data.data;
    record.value = null;
  }

  async function create(event: Event) {
    event.preventDefault();
    if (busy.value) return;
    const f = form.value;
    const body: Record<string, unknown> = { type: 'task', subject: f.subject.trim(), priority: f.priority };
    if (f.dueAt) body.dueAt = wallTimeToUtc(f.dueAt, props.display.timeZone)?.toISOString() ?? f.dueAt;
    if (record.value) body[linkField(record.value.type)] = record.value.id;
    busy.value = 'save';
    error.value = null;
    status.value = 'Saving the task…';
    const result = await api<Activity>('/api/v1/activities', { method: 'POST', body });
    busy.value = '';
    if (!result.ok) {
      error.value = result.error;
      status.value = '';
      return;
    }
    const task = result.data;
    const section = sectionOf(task, new Date(), props.display.timeZone);
    if (record.value) names.value = { ...names.value, [record.value.id]: record.value.title };
    lists.value = { ...lists.value, [section]: [task, ...lists.value[section]] };
    form.value = { subject: '', dueAt: '', priority: 'normal', query: '' };
    hits.value = null;
    record.value = null;
    status.value = `Task created under ${sectionTitles[section]}.`;
  }

  const subjectError = fieldError(error.value, 'subject');
  const dueError = fieldError(error.value, 'dueAt');
  const linkError = ['leadId', 'contactId', 'companyId', 'dealId'].map((f) => fieldError(error.value, f)).find(Boolean);
  const otherError = formError(error.value, taskFields);
  const setForm = (key: keyof typeof form.value) => (e: Event) => {
    form.value = { ...form.value, [key]: (e.target as HTMLInputElement).value };
  };

  return (
    <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
      <div class="space-y-4 lg:col-span-2">
        <p role="status" aria-live="polite" class="min-h-5 text-sm text-slate-700">
          {status.value}
        </p>
        {browserZone.value && (
          <p class="text-sm text-slate-600" data-testid="zone-hint">
            This browser is in {browserZone.value.replaceAll('_', ' ')}; your profile shows times in{' '}
            {props.display.timeZone.replaceAll('_', ' ')}.{' '}
            <a class="underline" href="/settings">
              Change it in Settings
            </a>
            .
          </p>
        )}
        {(['overdue', 'today', 'upcoming'] as const).map((section) => (
          <section key={section} class="card" aria-labelledby={`tasks-${section}`} data-section={section}>
            <h2 id={`tasks-${section}`} class="mb-2 font-semibold">
              {sectionTitles[section]} <span class="font-normal text-slate-600">({lists.value[section].length})</span>
            </h2>
            {lists.value[section].length === 0 ? (
              <p class="text-sm text-slate-600">Nothing here.</p>
            ) : (
              <ul class="divide-y divide-slate-100">
                {lists.value[section].map((task) => (
                  <li key={task.id} class="flex flex-wrap items-start gap-3 py-2" data-task-id={task.id}>
                    <input
                      id={`done-${task.id}`}
                      type="checkbox"
                      class="mt-1 h-4 w-4"
                      checked={Boolean(task.done)}
                      aria-describedby={rowErrors.value[task.id] ? `done-error-${task.id}` : undefined}
                      onChange={(e) => toggle(task, (e.target as HTMLInputElement).checked)}
                    />
                    <div class="min-w-0 flex-1">
                      <label for={`done-${task.id}`} class={`text-sm font-medium ${task.done ? 'line-through' : ''}`}>
                        {task.subject}
                      </label>
                      <p class="text-xs text-slate-700">
                        {task.dueAt ? `Due ${formatWhen(task.dueAt, props.display)}` : 'No due date'} ·{' '}
                        {priorityLabels[task.priority ?? 'normal']} priority
                        {recordLinks(task).map((link) => (
                          <span key={link.id}>
                            {' · '}
                            <a href={link.href} class="text-indigo-700 underline">
                              {typeNames[link.type]}: {names.value[link.id] ?? 'open'}
                            </a>
                          </span>
                        ))}
                      </p>
                      {rowErrors.value[task.id] && (
                        <p id={`done-error-${task.id}`} role="alert" class="field-error">
                          {rowErrors.value[task.id]}
                        </p>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
      {props.canCreate && (
        <section class="card self-start" aria-labelledby="new-task-heading">
          <h2 id="new-task-heading" class="mb-3 font-semibold">
            New task
          </h2>
          <form
            class="space-y-3"
            onSubmit={create}
            aria-labelledby="new-task-heading"
            aria-busy={busy.value === 'save'}
          >
            <div>
              <label for="task-subject" class="label">
                Task
              </label>
              <input
                id="task-subject"
                class="input"
                value={form.value.subject}
                onInput={setForm('subject')}
                aria-invalid={subjectError ? 'true' : undefined}
                aria-describedby={subjectError ? 'task-subject-error' : undefined}
              />
              {subjectError && (
                <p id="task-subject-error" class="field-error">
                  {subjectError}
                </p>
              )}
            </div>
            <div>
              <label for="task-due" class="label">
                Due (optional)
              </label>
              <input
                id="task-due"
                type="datetime-local"
                class="input"
                value={form.value.dueAt}
                onInput={setForm('dueAt')}
                aria-invalid={dueError ? 'true' : undefined}
                aria-describedby={dueError ? 'task-due-error' : undefined}
              />
              {dueError && (
                <p id="task-due-error" class="field-error">
                  {dueError}
                </p>
              )}
            </div>
            <div>
              <label for="task-priority" class="label">
                Priority
              </label>
              <select id="task-priority" class="input" value={form.value.priority} onChange={setForm('priority')}>
                {Object.entries(priorityLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <fieldset aria-describedby={linkError ? 'task-record-error' : undefined}>
              <legend class="label">Related to</legend>
              <div class="mt-1 flex gap-2">
                <label for="task-record-search" class="sr-only">
                  Find a lead, contact, company or deal
                </label>
                <input
                  id="task-record-search"
                  type="search"
                  class="input mt-0"
                  placeholder="Name of a lead, contact, company or deal"
                  value={form.value.query}
                  onInput={setForm('query')}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void find();
                    }
                  }}
                />
                <button type="button" class="btn-secondary" onClick={find} disabled={busy.value === 'search'}>
                  {busy.value === 'search' ? 'Finding…' : 'Find'}
                </button>
              </div>
              {hits.value && hits.value.length === 0 && <p class="mt-1 text-sm text-slate-600">Nothing found.</p>}
              {hits.value?.map((hit) => (
                <div key={hit.id} class="mt-1 flex items-center gap-2">
                  <input
                    id={`task-record-${hit.id}`}
                    type="radio"
                    name="task-record"
                    class="h-4 w-4"
                    checked={record.value?.id === hit.id}
                    onChange={() => {
                      record.value = hit;
                    }}
                  />
                  <label for={`task-record-${hit.id}`} class="text-sm">
                    {typeNames[hit.type]}: {hit.title}
                  </label>
                </div>
              ))}
              {linkError && (
                <p id="task-record-error" class="field-error">
                  Choose the record the task is for. ({linkError})
                </p>
              )}
            </fieldset>
            {otherError && (
              <p role="alert" class="alert-error">
                {otherError}
              </p>
            )}
            <button type="submit" class="btn-primary w-full" disabled={busy.value === 'save'}>
              {busy.value === 'save' ? 'Saving…' : 'Create task'}
            </button>
          </form>
        </section>
      )}
    </div>
  );
}

export default island('MyTasks', MyTasks);
