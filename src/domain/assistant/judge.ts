import { isDeepStrictEqual } from 'node:util';
import type { Sentence } from './sentences.test-set.ts';
import type { Understanding } from './schema.ts';

// How the test set is scored, shared by understand.test.ts and bench/assistant.ts.

/** Right when the intent is, every listed slot is, and a question comes exactly when one is expected. */
export function judge(s: Sentence, u: Understanding): string | undefined {
  if (u.intent !== s.intent) return `intent ${u.intent}, expected ${s.intent}`;
  for (const [k, v] of Object.entries(s.slots ?? {})) {
    if (!isDeepStrictEqual((u.slots as Record<string, unknown>)[k], v)) return `slot ${k} = ${JSON.stringify((u.slots as Record<string, unknown>)[k])}, expected ${JSON.stringify(v)}`;
  }
  const asks = Boolean(u.question);
  if (asks !== Boolean(s.asks)) return asks ? `asked "${u.question}"` : 'did not ask';
  return undefined;
}

