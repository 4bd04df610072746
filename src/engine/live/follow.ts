import type { EventView } from '../../domain/environment/schema.ts';

/**
 * A wake-up that is never lost: a notification that arrives while nobody waits (the stream is
 * querying or writing) makes the next wait return at once, instead of sleeping until the timer.
 */
export class Wakeup {
  #pending = false;
  #resolve: (() => void) | null = null;

  notify(): void {
    this.#pending = true;
    this.#resolve?.();
  }

  /** Resolves at the first notification since the last wait returned (at once if one came already), or after ms. */
  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#resolve = null;
        this.#pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.#resolve = done;
    });
  }
}

export interface Follower {
  envId: string;
  /** The last event id the client has. */
  after: number;
  feed: { subscribe(envId: string, onEvent: () => void): () => void };
  readEvents(after: number): Promise<EventView[]>;
  readEnvironment(): Promise<unknown>;
  send(message: { event: 'event' | 'environment'; data: unknown; id?: number }): Promise<void>;
  aborted(): boolean;
  onAbort(fn: () => void): void;
  /** A look without a notification, in case one was missed (default 15 s). */
  heartbeatMs?: number;
}

/** Live progress of one environment: each new event, then the environment as it is now; repeated at every notification. */
export async function followEnvironment(f: Follower): Promise<void> {
  const wakeup = new Wakeup();
  const unsubscribe = f.feed.subscribe(f.envId, () => wakeup.notify());
  f.onAbort(() => {
    unsubscribe();
    wakeup.notify();
  });
  let last = f.after;
  try {
    while (!f.aborted()) {
      for (const e of await f.readEvents(last)) {
        await f.send({ event: 'event', id: e.id, data: e });
        last = e.id;
      }
      await f.send({ event: 'environment', data: await f.readEnvironment() });
      await wakeup.wait(f.heartbeatMs ?? 15_000);
    }
  } finally {
    unsubscribe();
  }
}
