import type { NoticeView } from '../../domain/notice/schema.ts';
import { Wakeup } from '../live/follow.ts';

export interface NoticeWatcher {
  /** Every environment that has a new event, from any replica (EventFeed.subscribeAll). */
  feed: { subscribeAll(onEnvironment: (envId: string) => void): () => void };
  readUnread(): Promise<NoticeView[]>;
  send(unread: NoticeView[]): Promise<void>;
  aborted(): boolean;
  onAbort(fn: () => void): void;
  /**
   * A look without an environment event: notices that come with none (a team's budget) arrive
   * within this time (default 15 s); the rest (ready, failed, approvals, lifetimes) are written in
   * the same transaction as an event, so they arrive at once.
   */
  heartbeatMs?: number;
  /** Events in a burst (a launch writes several) are looked at once after this quiet time. */
  settleMs?: number;
}

/** The user's unread notices, sent first and again whenever they change. */
export async function watchNotices(w: NoticeWatcher): Promise<void> {
  const wakeup = new Wakeup();
  const unsubscribe = w.feed.subscribeAll(() => wakeup.notify());
  w.onAbort(() => {
    unsubscribe();
    wakeup.notify();
  });
  let sent: string | null = null;
  try {
    while (!w.aborted()) {
      const unread = await w.readUnread();
      // Only what changed goes out: a quiet bell costs the browser nothing.
      const key = unread.map((n) => n.id).join(',');
      if (key !== sent) {
        await w.send(unread);
        sent = key;
      }
      await wakeup.wait(w.heartbeatMs ?? 15_000);
      await new Promise((r) => setTimeout(r, w.settleMs ?? 150).unref());
    }
  } finally {
    unsubscribe();
  }
}
