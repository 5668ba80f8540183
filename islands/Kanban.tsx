import { useSignal } from '@preact/signals';
import { api } from '../web/client/api.ts';
import { island } from '../web/island.tsx';

export type KanbanStage = { id: string; name: string; kind: string; probability: number };
export type KanbanDeal = {
  id: string;
  name: string;
  amount: string;
  currency: string;
  stageId: string;
  version: number;
};
type Props = { stages: KanbanStage[]; deals: KanbanDeal[]; canMove: boolean };

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);

function totals(deals: KanbanDeal[]): string {
  const byCurrency = new Map<string, number>();
  for (const d of deals) byCurrency.set(d.currency, (byCurrency.get(d.currency) ?? 0) + Number(d.amount));
  return [...byCurrency].map(([currency, amount]) => money(amount, currency)).join(' + ') || money(0, 'USD');
}

/**
 * The pipeline as a board: drag a deal to another column, or use its arrow buttons (keyboard). The move shows at
 * once; if the server refuses it the deal goes back where it was and the server's reason is announced.
 */
const movesInFlight = new Map<string, Promise<void>>();

function Kanban(props: Props) {
  const deals = useSignal(props.deals);
  const status = useSignal<{ text: string; error: boolean } | null>(null);
  const dragging = useSignal<string | null>(null);
  const over = useSignal<string | null>(null);

  const stageName = (id: string) => props.stages.find((s) => s.id === id)?.name ?? 'another stage';

  /**
   * One move of a deal at a time: a second move made while the first is still on its way (a quick drag then a key)
   * waits for the first's answer, so it is sent with the deal's new version instead of failing If-Match.
   */
  function move(dealId: string, stageId: string): Promise<void> {
    const next = (movesInFlight.get(dealId) ?? Promise.resolve()).then(() => moveNow(dealId, stageId));
    const settled = next.catch(() => {});
    movesInFlight.set(dealId, settled);
    void settled.then(() => {
      if (movesInFlight.get(dealId) === settled) movesInFlight.delete(dealId);
    });
    return next;
  }

  async function moveNow(dealId: string, stageId: string) {
    const deal = deals.value.find((d) => d.id === dealId);
    if (!deal || deal.stageId === stageId) return;
    const put = (next: KanbanDeal) => {
      deals.value = deals.value.map((d) => (d.id === dealId ? next : d));
    };
    put({ ...deal, stageId });
    status.value = { text: `Moving ${deal.name} to ${stageName(stageId)}…`, error: false };
    const result = await api<KanbanDeal>(`/api/v1/deals/${dealId}`, {
      method: 'PATCH',
      body: { stageId },
      headers: { 'if-match': `"v${deal.version}"` },
    });
    if (result.ok) {
      put({ ...deal, stageId: result.data.stageId, version: result.data.version });
      status.value = { text: `${deal.name} moved to ${stageName(stageId)}`, error: false };
    } else {
      put(deal);
      status.value = { text: `${deal.name} could not be moved: ${result.error.message}`, error: true };
    }
    requestAnimationFrame(() => document.getElementById(`deal-${dealId}`)?.focus());
  }

  return (
    <div>
      <p
        class={status.value?.error ? 'alert-error mb-3' : 'mb-3 min-h-5 text-sm text-slate-700'}
        role={status.value?.error ? 'alert' : 'status'}
        aria-live="polite"
      >
        {status.value?.text ?? ''}
      </p>
      <div class="flex gap-3 overflow-x-auto pb-4" data-testid="kanban">
        {props.stages.map((stage, index) => {
          const column = deals.value.filter((d) => d.stageId === stage.id);
          return (
            <section
              key={stage.id}
              aria-labelledby={`stage-${stage.id}`}
              data-stage-id={stage.id}
              class={`flex w-64 shrink-0 flex-col rounded-lg border bg-slate-100 p-2 ${over.value === stage.id ? 'border-indigo-600' : 'border-slate-200'}`}
              onDragOver={(e) => {
                if (!dragging.value) return;
                e.preventDefault();
                over.value = stage.id;
              }}
              onDragLeave={() => {
                if (over.value === stage.id) over.value = null;
              }}
              onDrop={(e) => {
                e.preventDefault();
                const id = dragging.value ?? e.dataTransfer?.getData('text/plain');
                dragging.value = null;
                over.value = null;
                if (id) void move(id, stage.id);
              }}
            >
              <header class="mb-2 px-1">
                <h2 id={`stage-${stage.id}`} class="text-sm font-semibold">
                  {stage.name}{' '}
                  <span class="font-normal text-slate-600">
                    ({column.length}) · {stage.probability}%
                  </span>
                </h2>
                <p class="text-xs text-slate-700" data-testid="column-total">
                  {totals(column)}
                </p>
              </header>
              <ul class="flex min-h-16 flex-col gap-2">
                {column.map((deal) => {
                  const previous = props.stages[index - 1];
                  const next = props.stages[index + 1];
                  return (
                    <li
                      key={deal.id}
                      id={`deal-${deal.id}`}
                      tabIndex={-1}
                      data-deal-id={deal.id}
                      draggable={props.canMove}
                      onDragStart={(e) => {
                        dragging.value = deal.id;
                        e.dataTransfer?.setData('text/plain', deal.id);
                      }}
                      onDragEnd={() => {
                        dragging.value = null;
                        over.value = null;
                      }}
                      class="rounded-md border border-slate-200 bg-white p-2 shadow-sm"
                    >
                      <p class="text-sm font-medium">
                        {/* Not draggable itself, so a drag that starts on the name still moves the card. */}
                        <a href={`/deals/${deal.id}`} draggable={false} class="text-indigo-700 underline">
                          {deal.name}
                        </a>
                      </p>
                      <p class="text-xs text-slate-700">{money(Number(deal.amount), deal.currency)}</p>
                      {props.canMove && (
                        <div class="mt-1 flex justify-between">
                          <button
                            type="button"
                            class="rounded px-2 text-sm disabled:invisible"
                            disabled={!previous}
                            aria-label={previous ? `Move ${deal.name} to ${previous.name}` : undefined}
                            onClick={() => previous && move(deal.id, previous.id)}
                          >
                            ◀
                          </button>
                          <button
                            type="button"
                            class="rounded px-2 text-sm disabled:invisible"
                            disabled={!next}
                            aria-label={next ? `Move ${deal.name} to ${next.name}` : undefined}
                            onClick={() => next && move(deal.id, next.id)}
                          >
                            ▶
                          </button>
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}

export default island('Kanban', Kanban);
