import CopyButton from '../../islands/CopyButton.tsx';
import type { ApiFailure } from '../../web/api.ts';
import {
  allowed,
  errorFor,
  formText,
  generalError,
  NoAccess,
  Outcome,
  SettingsShell,
  TextField,
} from '../../web/components/settings.tsx';
import { CsrfField } from '../../web/components/ui.tsx';
import type { Handlers, PageProps, RouteContext } from '../../web/route.ts';

type Subscription = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  status: string;
  disabledReason: string | null;
};
type Delivery = {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
};
type Data = {
  forbidden?: boolean;
  subscriptions: Subscription[];
  draft: { url: string; events: string; description: string };
  secret?: { url: string; secret: string };
  open?: { id: string; deliveries: Delivery[]; error?: string } | null;
  deleteId?: string | null;
  notice?: string;
  failed?: { key: string; error: ApiFailure };
  loadError?: string;
};

const title = 'Webhooks';
const emptyDraft = { url: '', events: 'lead.*', description: '' };
const notices: Record<string, string> = {
  tested: 'A webhook.test event was sent; it shows in the deliveries below within moments.',
  replayed: 'The delivery was sent again.',
  enabled: 'The webhook was enabled again.',
  deleted: 'The webhook was deleted.',
};

async function load(ctx: RouteContext<Data>, extra: Partial<Data> = {}, status = 200) {
  if (!allowed(ctx.me, '/settings/webhooks')) {
    return ctx.render({ forbidden: true, subscriptions: [], draft: emptyDraft }, { title, status: 403 });
  }
  const list = await ctx.api<{ data: Subscription[] }>('/api/v1/webhooks');
  const openId = ctx.url.searchParams.get('deliveries');
  let open: Data['open'] = null;
  if (openId) {
    const page = await ctx.api<{ data: Delivery[] }>(
      `/api/v1/webhooks/${encodeURIComponent(openId)}/deliveries?limit=20`,
    );
    open = { id: openId, deliveries: page.ok ? page.data.data : [], error: page.ok ? undefined : page.error.message };
  }
  const data: Data = {
    subscriptions: list.ok ? list.data.data : [],
    draft: emptyDraft,
    open,
    deleteId: ctx.request.method === 'GET' ? ctx.url.searchParams.get('delete') : null,
    loadError: list.ok ? undefined : list.error.message,
    ...extra,
  };
  return ctx.render(data, { title, status });
}

export const handler: Handlers<Data> = {
  GET: (ctx) => load(ctx, { notice: notices[ctx.url.searchParams.get('saved') ?? ''] }),
  async POST(ctx) {
    if (!allowed(ctx.me, '/settings/webhooks')) return load(ctx);
    const form = await ctx.form();
    const intent = formText(form, 'intent');
    const id = formText(form, 'webhookId');
    const path = `/api/v1/webhooks/${encodeURIComponent(id)}`;
    const fail = (error: ApiFailure, status: number) => load(ctx, { failed: { key: `hook:${id}`, error } }, status);
    if (intent === 'create') {
      const draft = {
        url: formText(form, 'url'),
        events: formText(form, 'events'),
        description: formText(form, 'description'),
      };
      const eventTypes = draft.events.split(/[\s,]+/).filter(Boolean);
      const body = { url: draft.url, eventTypes, ...(draft.description ? { description: draft.description } : {}) };
      const answer = await ctx.api<{ secret: string }>('/api/v1/webhooks', { method: 'POST', body });
      if (!answer.ok) return load(ctx, { draft, failed: { key: 'create', error: answer.error } }, answer.status);
      return load(ctx, { secret: { url: draft.url, secret: answer.data.secret } }, 201);
    }
    if (intent === 'rotate') {
      const answer = await ctx.api<{ secret: string; subscription: Subscription }>(`${path}/rotate-secret`, {
        method: 'POST',
      });
      if (!answer.ok) return fail(answer.error, answer.status);
      return load(ctx, { secret: { url: answer.data.subscription.url, secret: answer.data.secret } });
    }
    const calls: Record<string, [string, string, unknown, string]> = {
      test: ['POST', `${path}/test`, undefined, `tested&deliveries=${id}`],
      enable: ['PATCH', path, { status: 'active' }, 'enabled'],
      delete: ['DELETE', path, undefined, 'deleted'],
      replay: [
        'POST',
        `${path}/deliveries/${encodeURIComponent(formText(form, 'deliveryId'))}/replay`,
        undefined,
        `replayed&deliveries=${id}`,
      ],
    };
    const call = calls[intent];
    if (!call) return ctx.redirect('/settings/webhooks');
    const answer = await ctx.api(call[1], { method: call[0], body: call[2] });
    if (!answer.ok) return fail(answer.error, answer.status);
    return ctx.redirect(`/settings/webhooks?saved=${call[3]}`);
  },
};

function Action(props: { csrf: string; id: string; intent: string; label: string; extra?: Record<string, string> }) {
  return (
    <form method="post">
      <CsrfField csrf={props.csrf} />
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="webhookId" value={props.id} />
      {Object.entries(props.extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="btn-secondary">
        {props.label}
      </button>
    </form>
  );
}

export default function WebhooksPage({ data, csrf, me }: PageProps<Data>) {
  if (data.forbidden) {
    return (
      <SettingsShell me={me} current="/settings/webhooks" title={title}>
        <NoAccess what="webhooks" />
      </SettingsShell>
    );
  }
  const { failed, secret, open } = data;
  return (
    <SettingsShell me={me} current="/settings/webhooks" title={title}>
      <div class="space-y-6">
        <Outcome notice={data.notice} error={data.loadError} />
        {secret && (
          <section class="card space-y-2" aria-labelledby="secret-heading">
            <h2 id="secret-heading" class="font-semibold">
              Signing secret for {secret.url}
            </h2>
            <p class="text-sm text-slate-700">Copy it now: it is shown only this once.</p>
            <code class="block break-all rounded bg-slate-100 p-2 text-sm" data-testid="webhook-secret">
              {secret.secret}
            </code>
            <CopyButton text={secret.secret} label="Copy the secret" />
          </section>
        )}
        <section class="card" aria-labelledby="hooks-heading">
          <h2 id="hooks-heading" class="mb-3 font-semibold">
            Subscriptions
          </h2>
          {data.subscriptions.length === 0 && <p class="text-sm text-slate-700">No webhooks yet.</p>}
          <ul class="divide-y divide-slate-100">
            {data.subscriptions.map((s) => (
              <li key={s.id} class="space-y-2 py-3">
                <p class="break-all font-medium">{s.url}</p>
                <p class="text-sm text-slate-600">
                  {s.eventTypes.join(', ')} · {s.status}
                  {s.disabledReason ? ` (${s.disabledReason})` : ''}
                  {s.description ? ` · ${s.description}` : ''}
                </p>
                <div class="flex flex-wrap gap-2">
                  <Action csrf={csrf} id={s.id} intent="test" label="Send test" />
                  <Action csrf={csrf} id={s.id} intent="rotate" label="Rotate secret" />
                  {s.status === 'disabled' && <Action csrf={csrf} id={s.id} intent="enable" label="Enable" />}
                  <a href={`/settings/webhooks?deliveries=${s.id}`} class="btn-secondary">
                    Deliveries
                  </a>
                  <a href={`/settings/webhooks?delete=${s.id}`} class="btn-secondary">
                    Delete…
                  </a>
                </div>
                {data.deleteId === s.id && (
                  <div
                    role="alertdialog"
                    aria-label={`Delete the webhook to ${s.url}`}
                    class="rounded-md border border-red-300 p-3"
                  >
                    <p class="text-sm">Delete this webhook? Nothing more is sent to {s.url}.</p>
                    <div class="mt-2 flex gap-2">
                      <Action csrf={csrf} id={s.id} intent="delete" label="Delete webhook" />
                      <a href="/settings/webhooks" class="btn-secondary">
                        Cancel
                      </a>
                    </div>
                  </div>
                )}
                {failed?.key === `hook:${s.id}` && (
                  <p class="field-error" role="alert">
                    {failed.error.message}
                  </p>
                )}
                {open?.id === s.id && (
                  <div class="overflow-x-auto">
                    {open.error && <p class="field-error">{open.error}</p>}
                    {open.deliveries.length === 0 ? (
                      <p class="text-sm text-slate-700">No deliveries yet.</p>
                    ) : (
                      <table class="w-full text-left text-sm">
                        <caption class="sr-only">Recent deliveries, newest first</caption>
                        <thead>
                          <tr>
                            <th scope="col" class="py-1 pr-3">
                              Event
                            </th>
                            <th scope="col" class="py-1 pr-3">
                              Status
                            </th>
                            <th scope="col" class="py-1 pr-3">
                              Answer
                            </th>
                            <th scope="col" class="py-1 pr-3">
                              When (UTC)
                            </th>
                            <th scope="col" class="py-1 pr-3">
                              <span class="sr-only">Actions</span>
                            </th>
                          </tr>
                        </thead>
                        <tbody>
                          {open.deliveries.map((d) => (
                            <tr key={d.id} class="border-t border-slate-100">
                              <td class="py-1 pr-3">{d.eventType}</td>
                              <td class="py-1 pr-3">
                                {d.status} ({d.attempts} attempt{d.attempts === 1 ? '' : 's'})
                              </td>
                              <td class="py-1 pr-3">{d.responseStatus ?? d.error ?? '—'}</td>
                              <td class="py-1 pr-3">{d.createdAt.slice(0, 19).replace('T', ' ')}</td>
                              <td class="py-1 pr-3">
                                <Action
                                  csrf={csrf}
                                  id={s.id}
                                  intent="replay"
                                  label="Replay"
                                  extra={{ deliveryId: d.id }}
                                />
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="new-hook-heading">
          <h2 id="new-hook-heading" class="mb-3 font-semibold">
            New webhook
          </h2>
          <form method="post" class="space-y-3" noValidate>
            <CsrfField csrf={csrf} />
            <input type="hidden" name="intent" value="create" />
            <Outcome error={generalError(failed, 'create', ['url', 'eventTypes', 'description'])} />
            <TextField
              id="hook-url"
              name="url"
              type="url"
              label="URL"
              value={data.draft.url}
              error={errorFor(failed, 'create', 'url')}
            />
            <TextField
              id="hook-events"
              name="events"
              label="Events"
              hint="Comma-separated, e.g. lead.created, deal.* or * for all"
              value={data.draft.events}
              error={errorFor(failed, 'create', 'eventTypes')}
            />
            <TextField
              id="hook-description"
              name="description"
              label="Description (optional)"
              value={data.draft.description}
              error={errorFor(failed, 'create', 'description')}
            />
            <button type="submit" class="btn-primary">
              Create webhook
            </button>
          </form>
        </section>
      </div>
    </SettingsShell>
  );
}
