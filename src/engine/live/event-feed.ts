import pg from 'pg';
import { EventEmitter } from 'node:events';

/**
 * One LISTEN connection per platform process turns the `goldpath_events` notifications (sent by a
 * trigger on every event, from any replica) into in-process callbacks per environment.
 */
const ANY = Symbol('any environment');

export class EventFeed {
  readonly #emitter = new EventEmitter();
  #client: pg.Client | null = null;
  readonly #url: string;

  constructor(databaseUrl: string) {
    this.#url = databaseUrl;
    this.#emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const client = new pg.Client(this.#url);
    client.on('notification', (n) => {
      const [envId, id] = (n.payload ?? '').split(':');
      if (envId) {
        this.#emitter.emit(envId, Number(id));
        this.#emitter.emit(ANY, envId);
      }
    });
    client.on('error', () => {
      // Connection lost (database restart): reconnect; subscribers poll on their own heartbeat meanwhile.
      this.#client = null;
      setTimeout(() => this.start().catch(() => {}), 1000).unref();
    });
    await client.connect();
    await client.query('LISTEN goldpath_events');
    this.#client = client;
  }

  subscribe(envId: string, onEvent: (eventId: number) => void): () => void {
    this.#emitter.on(envId, onEvent);
    return () => this.#emitter.off(envId, onEvent);
  }

  /** Every environment that has a new event, from any replica. */
  subscribeAll(onEnvironment: (envId: string) => void): () => void {
    this.#emitter.on(ANY, onEnvironment);
    return () => this.#emitter.off(ANY, onEnvironment);
  }

  async stop(): Promise<void> {
    const c = this.#client;
    this.#client = null;
    c?.removeAllListeners('error');
    await c?.end().catch(() => {});
  }
}
