import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * OTLP/HTTP JSON over `fetch`: the official serializer, sent with the runtime's own fetch, so it works in workerd
 * and Deno as on Node (the official browser exporter assumes a browser: keepalive budgets, a global fetch that
 * cannot be handed in). `export` reports when the collector answered, which `forceFlush` waits for.
 */
export class FetchSpanExporter implements SpanExporter {
  private shutDown = false;
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string> = {},
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
    private readonly timeoutMs = 10_000,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const body = this.shutDown ? undefined : JsonTraceSerializer.serializeRequest(spans);
    if (!body) {
      done({ code: ExportResultCode.FAILED, error: new Error(this.shutDown ? 'exporter is shut down' : 'no spans') });
      return;
    }
    this.fetchImpl(this.url, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: body as BodyInit,
      signal: AbortSignal.timeout(this.timeoutMs),
    }).then(
      async (response) => {
        // Read to the end so the connection is released (the body is a small JSON acknowledgement).
        await response.arrayBuffer().catch(() => {});
        done(
          response.ok
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: new Error(`collector answered ${response.status}`) },
        );
      },
      (error: unknown) => done({ code: ExportResultCode.FAILED, error: error as Error }),
    );
  }

  async shutdown(): Promise<void> {
    this.shutDown = true;
  }
}
