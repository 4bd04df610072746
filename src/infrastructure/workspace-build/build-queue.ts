/**
 * Builds of one resource run one at a time. While one runs, the newest request waits; a request
 * that arrives while another waits replaces it (a newer push supersedes a queued one), so at most
 * one build runs and one waits per resource, however fast people push.
 */
export type Queued<T> = { ran: true; value: T } | { ran: false; reason: 'superseded' | 'cancelled' };

interface Waiting<T> {
  job: () => Promise<T>;
  resolve: (r: Queued<T>) => void;
  reject: (e: unknown) => void;
}

export class BuildQueue<T> {
  readonly #running = new Map<string, Promise<void>>();
  readonly #waiting = new Map<string, Waiting<T>>();

  /** Runs `job` once the key's current build ends; resolves with `ran: false` when a newer request replaced it first. */
  request(key: string, job: () => Promise<T>): Promise<Queued<T>> {
    return new Promise<Queued<T>>((resolve, reject) => {
      this.#waiting.get(key)?.resolve({ ran: false, reason: 'superseded' });
      this.#waiting.set(key, { job, resolve, reject });
      if (!this.#running.has(key)) this.#next(key);
    });
  }

  /** Drops the key's waiting request and resolves once its running build (if any) has ended. */
  async cancel(key: string): Promise<void> {
    this.#waiting.get(key)?.resolve({ ran: false, reason: 'cancelled' });
    this.#waiting.delete(key);
    await this.#running.get(key);
  }

  /** Resolves once the key has nothing running or waiting. */
  async idle(key: string): Promise<void> {
    while (this.#running.has(key)) await this.#running.get(key);
  }

  #next(key: string): void {
    const w = this.#waiting.get(key);
    if (!w) return;
    this.#waiting.delete(key);
    const run = (async () => {
      try {
        w.resolve({ ran: true, value: await w.job() });
      } catch (e) {
        w.reject(e);
      }
    })().finally(() => {
      this.#running.delete(key);
      this.#next(key);
    });
    this.#running.set(key, run);
  }
}
