import { useSignal } from '@preact/signals';
import { leadStatuses } from '../../db/schema/lead-statuses.ts';
import { api } from '../client/api.ts';
import { statusLabels } from '../components/ui.tsx';
import type { UserOption } from './FilterForm.tsx';

type Counts = { updated: number; unchanged: number; failed: number; notFound: number };
type Job = Counts & { id: string; status: string; total: number; processed: number; error: { message: string } | null };
type Selection = { ids: string[] } | { filter: Record<string, string> };

type Props = {
  count: number;
  select: Selection;
  users: UserOption[];
  canDelete: boolean;
  /** Called once the action is over (inline or as a finished job), to show the list as it now is. */
  onDone(summary: string): void;
};

const actions = { assign: 'Assign owner', set_status: 'Change status', add_tags: 'Add tag', delete: 'Delete' } as const;
type Action = keyof typeof actions;
const finished = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 1000;
const RETRY_MS = 3000;
/** Answers to a poll that are worth polling again after: no answer, rate limited, or the region busy. */
const transient = new Set([0, 408, 429, 502, 503, 504]);

export const summaryOf = (c: Counts) =>
  `${c.updated} updated, ${c.unchanged} unchanged, ${c.failed} failed, ${c.notFound} not found`;

/**
 * Bulk actions on the selected leads through POST /api/v1/leads/bulk: up to 500 are answered at once; more become a
 * bulk job whose progress shows here (polled) and which can be cancelled. A delete asks for confirmation first.
 */
export function BulkBar({ count, select, users, canDelete, onDone }: Props) {
  const action = useSignal<Action>('assign');
  const value = useSignal('');
  const confirming = useSignal(false);
  const busy = useSignal(false);
  const error = useSignal('');
  const job = useSignal<Job | null>(null);

  function bulkValue(): unknown {
    if (action.value === 'assign') return value.value || null;
    if (action.value === 'set_status') return value.value || 'new';
    if (action.value === 'add_tags') return [value.value.trim()];
    return undefined;
  }

  async function watch(id: string) {
    const answer = await api<Job>(`/api/v1/bulk-jobs/${id}`);
    if (!answer.ok) {
      error.value = answer.error.message;
      // A poll that timed out or found the region busy (the job's own chunks keep it so) says nothing about the
      // job: keep watching, more slowly. Any other refusal ends the watch.
      if (transient.has(answer.status)) {
        setTimeout(() => void watch(id), RETRY_MS);
        return;
      }
      busy.value = false;
      return;
    }
    error.value = '';
    job.value = answer.data;
    if (!finished.has(answer.data.status)) {
      setTimeout(() => void watch(id), POLL_MS);
      return;
    }
    busy.value = false;
    const failure = answer.data.error ? `: ${answer.data.error.message}` : '';
    onDone(`Bulk job ${answer.data.status}${failure} (${summaryOf(answer.data)})`);
  }

  async function run() {
    if (action.value === 'add_tags' && !value.value.trim()) {
      error.value = 'Type the tag to add';
      return;
    }
    if (action.value === 'delete' && !confirming.value) {
      confirming.value = true;
      return;
    }
    confirming.value = false;
    busy.value = true;
    error.value = '';
    job.value = null;
    const answer = await api<Counts | Job>('/api/v1/leads/bulk', {
      method: 'POST',
      body: { action: action.value, value: bulkValue(), select },
    });
    if (!answer.ok) {
      busy.value = false;
      error.value = answer.error.details[0]
        ? `${answer.error.message}: ${answer.error.details[0].message}`
        : answer.error.message;
      return;
    }
    if (answer.status === 202) {
      job.value = answer.data as Job;
      await watch((answer.data as Job).id);
      return;
    }
    busy.value = false;
    onDone(`${actions[action.value]}: ${summaryOf(answer.data)}`);
  }

  async function cancel() {
    if (!job.value) return;
    const answer = await api<Job>(`/api/v1/bulk-jobs/${job.value.id}/cancel`, { method: 'POST' });
    if (!answer.ok) error.value = answer.error.message;
  }

  const valueField = () => {
    if (action.value === 'assign' || action.value === 'set_status') {
      const options: [string, string][] =
        action.value === 'assign'
          ? [['', 'Unassigned'], ...users.map((u): [string, string] => [u.id, u.name || u.email])]
          : leadStatuses.filter((s) => s !== 'converted').map((s): [string, string] => [s, statusLabels[s] ?? s]);
      return (
        <div>
          <label for="bulk-value" class="label">
            {action.value === 'assign' ? 'New owner' : 'New status'}
          </label>
          <select
            id="bulk-value"
            class="input"
            value={value.value}
            onChange={(e) => {
              value.value = (e.target as HTMLSelectElement).value;
            }}
          >
            {options.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
        </div>
      );
    }
    if (action.value === 'add_tags') {
      return (
        <div>
          <label for="bulk-value" class="label">
            Tag
          </label>
          <input
            id="bulk-value"
            class="input"
            maxLength={50}
            value={value.value}
            onInput={(e) => {
              value.value = (e.target as HTMLInputElement).value;
            }}
          />
        </div>
      );
    }
    return null;
  };

  return (
    <section aria-label="Bulk actions" class="card mb-3 flex flex-wrap items-end gap-3">
      <p class="pb-2 text-sm font-semibold">{count.toLocaleString('en')} selected</p>
      <div>
        <label for="bulk-action" class="label">
          Action
        </label>
        <select
          id="bulk-action"
          class="input"
          value={action.value}
          onChange={(e) => {
            action.value = (e.target as HTMLSelectElement).value as Action;
            value.value = action.value === 'set_status' ? 'new' : '';
            confirming.value = false;
          }}
        >
          {(Object.keys(actions) as Action[])
            .filter((a) => a !== 'delete' || canDelete)
            .map((a) => (
              <option key={a} value={a}>
                {actions[a]}
              </option>
            ))}
        </select>
      </div>
      {valueField()}
      <button type="button" class="btn-primary" onClick={run} disabled={busy.value}>
        {busy.value ? 'Working…' : 'Apply to selected'}
      </button>
      {confirming.value && (
        <div role="alertdialog" aria-labelledby="bulk-confirm" class="alert-error flex flex-wrap items-center gap-2">
          <p id="bulk-confirm">
            Delete {count.toLocaleString('en')} leads? Their activities and deals stay, unlinked. This cannot be undone.
          </p>
          <button type="button" class="btn-primary" onClick={run}>
            Delete {count.toLocaleString('en')} leads
          </button>
          <button
            type="button"
            class="btn-secondary"
            onClick={() => {
              confirming.value = false;
            }}
          >
            Keep them
          </button>
        </div>
      )}
      {job.value && (
        <div class="flex w-full flex-wrap items-center gap-3" role="status" aria-live="polite">
          <progress
            class="h-3 w-64"
            max={Math.max(1, job.value.total)}
            value={job.value.processed}
            aria-label="Bulk job progress"
          />
          <span class="text-sm">
            Bulk job {job.value.status}: {job.value.processed.toLocaleString('en')} of{' '}
            {job.value.total.toLocaleString('en')}
          </span>
          {!finished.has(job.value.status) && (
            <button type="button" class="btn-secondary" onClick={cancel}>
              Cancel job
            </button>
          )}
        </div>
      )}
      {error.value && (
        <p role="alert" class="field-error w-full">
          {error.value}
        </p>
      )}
    </section>
  );
}
