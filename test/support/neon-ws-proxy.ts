import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * What Neon runs in front of Postgres, in miniature: each WebSocket carries the Postgres wire protocol to the
 * `address` it names. Lets the Neon serverless driver talk to the real local PostgreSQL in tests.
 */
export async function startNeonWsProxy(): Promise<{ address: string; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    const target = new URL(request.url ?? '/', 'ws://proxy').searchParams.get('address') ?? '';
    const [host, port] = target.split(':');
    const tcp = connect({ host, port: Number(port) });
    socket.on('message', (data) => tcp.write(data as Buffer));
    tcp.on('data', (data) => socket.send(data));
    socket.on('close', () => tcp.end());
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('error', () => tcp.destroy());
  });
  await new Promise<void>((ready) => server.once('listening', () => ready()));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        for (const client of server.clients) client.terminate();
        server.close(() => done());
      }),
  };
}
