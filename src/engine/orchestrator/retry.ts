import { setTimeout as sleep } from 'node:timers/promises';
import { PermanentDriverError } from '../../drivers/driver.ts';

export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  factor: number;
}

export const defaultRetry: RetryPolicy = { attempts: 4, firstDelayMs: 200, factor: 3 };

/** Calls fn until it succeeds, waiting longer each time; a PermanentDriverError stops at once. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, onRetry?: (e: Error, attempt: number) => Promise<void> | void): Promise<T> {
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (e instanceof PermanentDriverError || attempt >= policy.attempts) throw e;
      await onRetry?.(e as Error, attempt);
      await sleep(delay);
      delay *= policy.factor;
    }
  }
}
