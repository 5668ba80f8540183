import Kanban, { type KanbanDeal, type KanbanStage } from '../../islands/Kanban.tsx';
import type { ApiFailure, ApiResult } from '../../web/api.ts';
import { Alert, PageTitle } from '../../web/components/ui.tsx';
import type { Handlers, PageProps } from '../../web/route.ts';

type Pipeline = { id: string; name: string; isDefault: boolean; stages: KanbanStage[] };
type Data = {
  pipelines: { id: string; name: string }[];
  pipeline: Pipeline | null;
  deals: KanbanDeal[];
  truncated: boolean;
  notice?: string;
  error?: ApiFailure;
};

/** The board shows at most this many deals; beyond it the page says so rather than silently dropping some. */
const MAX_DEALS = 1000;

export const handler: Handlers<Data> = {
  async GET(ctx) {
    const list = await ctx.api<{ data: Pipeline[] }>('/api/v1/pipelines');
    if (!list.ok) {
      const data = { pipelines: [], pipeline: null, deals: [], truncated: false, error: list.error };
      return ctx.render(data, { title: 'Pipelines', status: list.status });
    }
    const wanted = ctx.url.searchParams.get('pipeline');
    const pipeline =
      list.data.data.find((p) => p.id === wanted) ?? list.data.data.find((p) => p.isDefault) ?? list.data.data[0];
    const deals: KanbanDeal[] = [];
    let cursor: string | null = null;
    let error: ApiFailure | undefined;
    while (pipeline && deals.length < MAX_DEALS) {
      const query: string = `pipelineId=${pipeline.id}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: ApiResult<{ data: KanbanDeal[]; nextCursor: string | null }> = await ctx.api<{
        data: KanbanDeal[];
        nextCursor: string | null;
      }>(`/api/v1/deals?${query}`);
      if (!page.ok) {
        error = page.error;
        break;
      }
      for (const d of page.data.data) {
        deals.push({
          id: d.id,
          name: d.name,
          amount: d.amount,
          currency: d.currency,
          stageId: d.stageId,
          version: d.version,
        });
      }
      cursor = page.data.nextCursor;
      if (!cursor) break;
    }
    const data: Data = {
      pipelines: list.data.data.map((p) => ({ id: p.id, name: p.name })),
      pipeline: pipeline
        ? {
            ...pipeline,
            stages: pipeline.stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind, probability: s.probability })),
          }
        : null,
      deals: deals.slice(0, MAX_DEALS),
      truncated: Boolean(cursor),
      notice: ctx.url.searchParams.has('converted') ? 'Lead converted: its deal is on the board.' : undefined,
      error,
    };
    return ctx.render(data, { title: pipeline ? pipeline.name : 'Pipelines' });
  },
};

export default function Pipelines({ data, me }: PageProps<Data>) {
  const canMove = me?.permissions.includes('deals:update') ?? false;
  return (
    <>
      <PageTitle
        actions={
          data.pipelines.length > 1 && (
            <form method="get" action="/pipelines" class="flex items-end gap-2">
              <div>
                <label for="pipeline-select" class="label">
                  Pipeline
                </label>
                <select id="pipeline-select" name="pipeline" class="input">
                  {data.pipelines.map((p) => (
                    <option key={p.id} value={p.id} selected={p.id === data.pipeline?.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="btn-secondary">
                Show
              </button>
            </form>
          )
        }
      >
        {data.pipeline?.name ?? 'Pipelines'}
      </PageTitle>
      {data.notice && <Alert tone="info">{data.notice}</Alert>}
      {data.error && <Alert>{data.error.message}</Alert>}
      {data.truncated && <Alert tone="info">Only the first {MAX_DEALS} deals are shown.</Alert>}
      {data.pipeline && <Kanban stages={data.pipeline.stages} deals={data.deals} canMove={canMove} />}
    </>
  );
}
