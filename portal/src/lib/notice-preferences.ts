// Which kinds of notification the person chose not to see in the bell (settings page). Kept in this
// browser only: the platform still records every notice, and `goldpath notices` lists them all.
import { useSyncExternalStore } from 'react';

const KEY = 'goldpath.notices.hidden';
const subscribers = new Set<() => void>();

function read(): string {
  return localStorage.getItem(KEY) ?? '[]';
}

function subscribe(f: () => void) {
  subscribers.add(f);
  const onStorage = (e: StorageEvent) => e.key === KEY && f();
  window.addEventListener('storage', onStorage);
  return () => {
    subscribers.delete(f);
    window.removeEventListener('storage', onStorage);
  };
}

export function setHiddenNoticeKinds(kinds: string[]): void {
  localStorage.setItem(KEY, JSON.stringify(kinds));
  for (const f of subscribers) f();
}

export function useNoticePreferences(): { hidden: string[] } {
  const raw = useSyncExternalStore(subscribe, read);
  try {
    const parsed = JSON.parse(raw) as unknown;
    return { hidden: Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [] };
  } catch {
    return { hidden: [] };
  }
}
