import pg from 'pg';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One LISTEN connection per platform process turns the `goldpath_events` notifications (sent by a
 * trigger on every event, from any replica) into in-process callbacks per environment. When the
 * connection is lost (a database restart, a network cut) it reconnects for as long as the process
 * runs, waiting longer between attempts, and says so in the log.
 */
const ANY = Symbol('any environment');

export interface EventFeedOptions {
  log?: (line: string) => void;
  /** Wait before the first reconnect attempt; doubled after each failed one, up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export class EventFeed {
  readonly #emitter = new EventEmitter();
  #client: pg.Client | null = null;
  #stopped = false;
  readonly #url: string;
  readonly #log: (line: string) => void;
  readonly #firstDelayMs: number;
  readonly #maxDelayMs: number;

  constructor(databaseUrl: string, options: EventFeedOptions = {}) {
    this.#url = databaseUrl;
    this.#log = options.log ?? ((line) => console.error(line));
    this.#firstDelayMs = options.firstDelayMs ?? 250;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#emitter.setMaxListeners(0);
  }

  /** The first connection must succeed: a platform that cannot reach its database does not start. */
  async start(): Promise<void> {
    this.#stopped = false;
    this.#client = await this.#connect();
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client(this.#url);
    client.on('notification', (n) => {
      const [envId, id] = (n.payload ?? '').split(':');
      if (envId) {
        this.#emitter.emit(envId, Number(id));
        this.#emitter.emit(ANY, envId);
      }
    });
    client.on('error', (e) => this.#lost(client, e.message));
    client.on('end', () => this.#lost(client, 'the connection ended'));
    try {
      await client.connect();
      await client.query('LISTEN goldpath_events');
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    return client;
  }

  #lost(client: pg.Client, why: string): void {
    if (this.#stopped || this.#client !== client) return; // a failed attempt, or already handled
    this.#client = null;
    this.#log(`[events] lost the notification connection (${why}); reconnecting, live progress polls meanwhile`);
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    let delay = this.#firstDelayMs;
    for (let attempt = 1; !this.#stopped; attempt++) {
      await sleep(delay, undefined, { ref: false });
      if (this.#stopped) return;
      try {
        const client = await this.#connect();
        if (this.#stopped) {
          await client.end().catch(() => {});
          return;
        }
        this.#client = client;
        this.#log(`[events] notification connection restored (attempt ${attempt})`);
        // Notifications sent while disconnected are gone: every subscriber looks again now.
        for (const name of this.#emitter.eventNames()) if (typeof name === 'string') this.#emitter.emit(name, 0);
        return;
      } catch (e) {
        delay = Math.min(delay * 2, this.#maxDelayMs);
        this.#log(`[events] reconnect attempt ${attempt} failed (${(e as Error).message}); next in ${delay} ms`);
      }
    }
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
    this.#stopped = true;
    const c = this.#client;
    this.#client = null;
    await c?.end().catch(() => {});
  }
}
