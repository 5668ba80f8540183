import autocannon from 'autocannon';
import type { LoadOutcome, LoadScenario } from './load.ts';

/**
 * The load generator, in a process of its own (forked by runLoad) so that making requests does not take the event
 * loop of the edge and region it measures. Receives one scenario, runs autocannon, sends back every response's
 * latency after the warm-up, and exits.
 */
function fill(template: string, n: number, scenario: LoadScenario): string {
  const { ids, terms = [] } = scenario;
  return template
    .replaceAll('{n}', String(n))
    .replaceAll('{id}', ids.length ? ids[n % ids.length]! : '')
    .replaceAll('{term}', terms.length ? terms[n % terms.length]! : '');
}

async function run(scenario: LoadScenario): Promise<LoadOutcome> {
  let counter = 0;
  let nextToken = 0;
  const requests = scenario.requests.map(
    (request): autocannon.Request => ({
      method: request.method,
      path: request.path,
      setupRequest: (req: autocannon.Request, state: object): autocannon.Request => {
        const context = state as { token?: string };
        // Each connection is one user: it keeps the session it was given first.
        context.token ??= scenario.tokens[nextToken++ % scenario.tokens.length];
        const n = ++counter;
        const body = request.body === undefined ? undefined : fill(JSON.stringify(request.body), n, scenario);
        return {
          ...req,
          path: fill(request.path, n, scenario),
          headers: {
            authorization: `Bearer ${context.token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body } : {}),
        };
      },
    }),
  );
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let measuring = false;
  let measuredFrom = 0;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: scenario.url,
        connections: scenario.connections,
        duration: scenario.seconds + scenario.warmupSeconds,
        requests,
        ...(scenario.overallRate ? { overallRate: scenario.overallRate } : {}),
        timeout: 10,
      },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
  const warmTimer = setTimeout(() => {
    measuring = true;
    measuredFrom = performance.now();
  }, scenario.warmupSeconds * 1000);
  instance?.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (!measuring) return;
    samples.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await done;
  clearTimeout(warmTimer);
  return {
    samples,
    wallMs: performance.now() - measuredFrom,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

process.once('message', (scenario: LoadScenario) => {
  run(scenario).then(
    (outcome) => process.send?.({ outcome }, () => process.exit(0)),
    (error: Error) => process.send?.({ error: error.stack ?? error.message }, () => process.exit(1)),
  );
});
