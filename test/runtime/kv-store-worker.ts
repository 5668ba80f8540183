import { CloudflareKvStore, type KvNamespace } from '../../edge/store/cloudflare-kv.ts';

/**
 * A Worker that exposes CloudflareKvStore over fetch, so edge/store/cloudflare-kv.test.ts runs the store contract
 * against the adapter running inside workerd on a real (Miniflare) KV namespace. One store per isolate, as the edge
 * keeps one.
 */
let store: CloudflareKvStore | undefined;

export default {
  async fetch(request: Request, env: { EDGE_KV: KvNamespace }) {
    store ??= new CloudflareKvStore(env.EDGE_KV, 'crm-test:');
    const url = new URL(request.url);
    const key = url.searchParams.get('key') ?? '';
    const ttl = Number(url.searchParams.get('ttl') ?? '60');
    switch (url.pathname) {
      case '/get':
        return Response.json({ value: await store.get(key) });
      case '/set':
        await store.set(key, await request.text(), ttl);
        return Response.json({ ok: true });
      case '/increment':
        return Response.json({ count: await store.increment(key, ttl) });
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
