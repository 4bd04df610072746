// The number of approval requests the signed-in user may decide (the policy's answer, `youMay`,
// so neither their own nor, for an admin, other teams' unless break-glass is allowed): the nav badge. Refreshed on a timer and after every decision.
import { useEffect, useSyncExternalStore } from 'react';
import { api, call } from '../api/client.ts';

let count = 0;
let me = '';
const subscribers = new Set<() => void>();

export async function refreshPending(): Promise<void> {
  try {
    const r = await call(api.GET('/api/v1/approvals', { params: { query: { status: 'pending' } } }));
    count = r.approvals.filter((a) => a.requestedBy !== me && (a.youMay?.decide || a.youMay?.breakGlass)).length;
  } catch {
    // The badge is a hint; the inbox itself says what went wrong.
  }
  for (const f of subscribers) f();
}

function subscribe(f: () => void) {
  subscribers.add(f);
  return () => subscribers.delete(f);
}

/** For the nav: the pending count, polled every 20 s while the portal is open. */
export function usePendingCount(userId: string): number {
  useEffect(() => {
    me = userId;
    count = 0;
    if (!userId) return;
    void refreshPending();
    const t = setInterval(() => void refreshPending(), 20_000);
    return () => clearInterval(t);
  }, [userId]);
  return useSyncExternalStore(subscribe, () => count);
}
