import { chmod, mkdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startStandby, type Standby, type StandbySpec } from '../../infrastructure/jupyter/index.ts';
import { claimUid, handOver, releaseUid, releaseUidsOf, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';

/**
 * Notebook servers kept warm for the next launches (infrastructure/jupyter/standby.ts): a launch
 * that takes one skips Python's import of Jupyter, most of a notebook's start. Each sits in a
 * folder of its own, `<dir>/<id>`, with an empty home owned by a uid of its own, and is taken
 * whole: the launch moves the folder to its environment and the uid with it. Taken ones are
 * replaced in the background, one at a time, so the pool never competes with launches for CPU
 * more than one start's worth.
 *
 * How many are kept is set per golden path (`warm: { notebook: N }` in its file) or for any launch
 * (`*`). Standbys are neutral, so one kept for a path is only a matter of bookkeeping: a launch takes
 * one kept for its path first, then one kept for any, then another path's, which is then replaced.
 */
export const anyPath = '*';
export interface WarmNotebook {
  /** The standby's folder (home/, notebook.log): the taker renames it to its own. */
  dir: string;
  /** Its uid's owner key in the uid claims, for transferUid. */
  owner: string;
  uid: number | undefined;
  standby: Standby;
}

export interface NotebookPool {
  /** A warm server for a launch of `path`, or null when none is warm right now (the launch then starts one itself). */
  take(path?: string): WarmNotebook | null;
  /** How many to keep warm for each path's launches (`*`: for any launch); extra warm ones are stopped. */
  resize(targets: Readonly<Record<string, number>>): void;
  /** How many are warm, and how many are still starting. */
  size(): { warm: number; starting: number };
  close(): Promise<void>;
}

export interface NotebookPoolOptions {
  dir: string;
  claimsDir: string;
  /** The address the servers listen on once claimed. */
  host: string;
  /** How many to keep warm, by path (`*`: for any launch); see resize(). */
  targets: Readonly<Record<string, number>>;
  sandbox: Extract<SandboxSupport, { available: true }>;
  onError?: (err: Error) => void;
  /** How a standby starts; tests put a fake here to make starts fail at will. */
  start?: (spec: StandbySpec) => Standby;
}

const OWNER_PREFIX = 'pool/';

export async function notebookPool(opts: NotebookPoolOptions): Promise<NotebookPool> {
  // A platform that stopped (or crashed) left its standbys' folders; the standbys themselves
  // exited when its end of their pipe closed.
  await rm(opts.dir, { recursive: true, force: true });
  await releaseUidsOf(opts.claimsDir, OWNER_PREFIX);
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });

  const entries: { warm: boolean; path: string; notebook: WarmNotebook }[] = [];
  let targets: Readonly<Record<string, number>> = opts.targets;
  let closed = false;
  const kept = (path: string) => entries.filter((e) => e.path === path).length;
  const discard = async ({ notebook }: { notebook: WarmNotebook }) => {
    await notebook.standby.discard();
    await rm(notebook.dir, { recursive: true, force: true });
    await releaseUid(opts.claimsDir, notebook.owner);
  };
  let filling: Promise<void> | null = null;

  const startOne = async (path: string): Promise<void> => {
    const id = randomBytes(6).toString('hex');
    const dir = join(opts.dir, id);
    const owner = `${OWNER_PREFIX}${id}`;
    const home = join(dir, 'home');
    await mkdir(home, { recursive: true, mode: 0o700 });
    const uid = process.getuid?.() === 0 ? await claimUid(opts.claimsDir, owner) : undefined;
    if (uid !== undefined) await handOver(home, uid, uid);
    await chmod(home, 0o700);
    const standby = (opts.start ?? startStandby)({ home, host: opts.host, uid, sandbox: opts.sandbox, logFile: join(dir, 'notebook.log') });
    const entry = { warm: false, path, notebook: { dir, owner, uid, standby } };
    entries.push(entry);
    try {
      await standby.warm;
      entry.warm = true;
    } catch (err) {
      entries.splice(entries.indexOf(entry), 1);
      await rm(dir, { recursive: true, force: true });
      await releaseUid(opts.claimsDir, owner);
      throw err;
    }
  };

  const fill = () => {
    filling ??= (async () => {
      let failures = 0;
      for (;;) {
        const short = Object.keys(targets).find((path) => kept(path) < targets[path]);
        if (closed || short === undefined || failures >= 3) break;
        try {
          await startOne(short);
          failures = 0;
        } catch (err) {
          failures++;
          opts.onError?.(err as Error);
        }
      }
    })().finally(() => {
      filling = null;
    });
  };
  fill();

  return {
    take(path = anyPath) {
      const order = [(e: (typeof entries)[number]) => e.path === path, (e: (typeof entries)[number]) => e.path === anyPath, () => true];
      const i = order.map((matches) => entries.findIndex((e) => e.warm && matches(e))).find((found) => found >= 0) ?? -1;
      const [entry] = i < 0 ? [] : entries.splice(i, 1);
      // Also when none was warm: a fill that gave up after repeated failures tries again on demand.
      fill();
      return entry?.notebook ?? null;
    },
    resize(next) {
      targets = next;
      // Warm ones beyond a path's new number go (one still starting is left to finish: it is counted).
      for (const path of new Set(entries.map((e) => e.path))) {
        const extra = entries.filter((e) => e.path === path && e.warm).slice(0, Math.max(0, kept(path) - (targets[path] ?? 0)));
        for (const e of extra) entries.splice(entries.indexOf(e), 1);
        void Promise.all(extra.map(discard)).catch((err: Error) => opts.onError?.(err));
      }
      fill();
    },
    size: () => ({ warm: entries.filter((e) => e.warm).length, starting: entries.filter((e) => !e.warm).length }),
    async close() {
      closed = true;
      await filling;
      await Promise.all(entries.splice(0).map(discard));
    },
  };
}
