import type { AppDatabase } from '../../db/database.ts';
import type { EventBus } from './bus.ts';

/**
 * The process environment, or any part of it: EVENT_BUS, NATS_URL, NATS_STREAM, NATS_ACK_WAIT_MS, KAFKA_BROKERS,
 * KAFKA_CLIENT_ID.
 */
export type EventBusEnv = Readonly<Record<string, string | undefined>>;

type ErrorSink = (error: unknown, context: string) => void;

/**
 * Opens the event bus the environment names: `EVENT_BUS=postgres` (the default: a log in `fallbackDb`, schema
 * crm_bus), `nats` (NATS_URL, optional NATS_STREAM) or `kafka` (KAFKA_BROKERS, optional KAFKA_CLIENT_ID). A
 * missing or malformed setting throws at start, naming it, rather than failing on the first event.
 */
export async function openEventBus(
  env: EventBusEnv,
  fallbackDb: AppDatabase,
  onError?: ErrorSink,
  /** Keeps regions sharing one NATS server apart: stream `CRM_EVENTS_<REGION>`, subjects `crm-<region>.…`. */
  region?: string,
): Promise<EventBus> {
  const kind = (env.EVENT_BUS ?? '').trim() || 'postgres';
  switch (kind) {
    case 'postgres': {
      const schema = env.EVENT_LOG_SCHEMA?.trim() || undefined;
      if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
        throw new Error(`EVENT_LOG_SCHEMA: "${schema}" must be a lower-case SQL identifier`);
      }
      const { openPostgresLogBus } = await import('./postgres-log-bus.ts');
      return openPostgresLogBus(fallbackDb, { onError, schema });
    }
    case 'nats': {
      const servers = list(env.NATS_URL, 'NATS_URL', 'EVENT_BUS=nats');
      for (const server of servers) {
        if (!/^(nats|tls|wss?):\/\/[^/\s]+$|^[^/\s:]+:\d+$/.test(server)) {
          throw new Error(`NATS_URL: "${server}" is not a NATS server address (nats://host:port)`);
        }
      }
      const stream = env.NATS_STREAM?.trim() || (region ? `CRM_EVENTS_${region.toUpperCase()}` : undefined);
      const subjectRoot = env.NATS_SUBJECT_ROOT?.trim() || (region ? `crm-${region}` : undefined);
      if (stream && !/^[A-Za-z0-9_-]+$/.test(stream)) {
        throw new Error(`NATS_STREAM: "${stream}" may hold only letters, digits, "_" and "-"`);
      }
      // How long JetStream waits for a killed process's ack before handing its message to another process.
      const ackWait = env.NATS_ACK_WAIT_MS?.trim();
      const ackWaitMs = ackWait ? Number(ackWait) : undefined;
      if (ackWaitMs !== undefined && !(Number.isInteger(ackWaitMs) && ackWaitMs >= 1_000)) {
        throw new Error(`NATS_ACK_WAIT_MS: "${ackWait}" must be a whole number of milliseconds, at least 1000`);
      }
      const { openNatsBus } = await import('./nats-bus.ts');
      return openNatsBus({ servers, stream, subjectRoot, onError, ackWaitMs }).catch((error: Error) => {
        throw new Error(`EVENT_BUS=nats: cannot open JetStream at ${servers.join(',')}: ${error.message}`, {
          cause: error,
        });
      });
    }
    case 'kafka': {
      const brokers = list(env.KAFKA_BROKERS, 'KAFKA_BROKERS', 'EVENT_BUS=kafka');
      for (const broker of brokers) {
        if (!/^[^/\s:]+:\d+$/.test(broker)) throw new Error(`KAFKA_BROKERS: "${broker}" is not host:port`);
      }
      const clientId = env.KAFKA_CLIENT_ID?.trim() || 'crm';
      const { openKafkaBus } = await import('./kafka-bus.ts');
      return openKafkaBus({ brokers, clientId, onError }).catch((error: Error) => {
        throw new Error(`EVENT_BUS=kafka: cannot reach ${brokers.join(',')}: ${error.message}`, { cause: error });
      });
    }
    default:
      throw new Error(`EVENT_BUS: "${kind}" is not one of postgres, nats, kafka`);
  }
}

function list(value: string | undefined, name: string, because: string): string[] {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error(`${name} is required with ${because}`);
  return items;
}
