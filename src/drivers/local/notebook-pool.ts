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
 */
export interface WarmNotebook {
  /** The standby's folder (home/, notebook.log): the taker renames it to its own. */
  dir: string;
  /** Its uid's owner key in the uid claims, for transferUid. */
  owner: string;
  uid: number | undefined;
  standby: Standby;
}

export interface NotebookPool {
  /** A warm server, or null when none is warm right now (the launch then starts one itself). */
  take(): WarmNotebook | null;
  /** How many are warm, and how many are still starting. */
  size(): { warm: number; starting: number };
  close(): Promise<void>;
}

export interface NotebookPoolOptions {
  dir: string;
  claimsDir: string;
  size: number;
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

  const entries: { warm: boolean; notebook: WarmNotebook }[] = [];
  let closed = false;
  let filling: Promise<void> | null = null;

  const startOne = async (): Promise<void> => {
    const id = randomBytes(6).toString('hex');
    const dir = join(opts.dir, id);
    const owner = `${OWNER_PREFIX}${id}`;
    const home = join(dir, 'home');
    await mkdir(home, { recursive: true, mode: 0o700 });
    const uid = process.getuid?.() === 0 ? await claimUid(opts.claimsDir, owner) : undefined;
    if (uid !== undefined) await handOver(home, uid, uid);
    await chmod(home, 0o700);
    const standby = (opts.start ?? startStandby)({ home, uid, sandbox: opts.sandbox, logFile: join(dir, 'notebook.log') });
    const entry = { warm: false, notebook: { dir, owner, uid, standby } };
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
      while (!closed && entries.length < opts.size && failures < 3) {
        try {
          await startOne();
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
    take() {
      const i = entries.findIndex((e) => e.warm);
      const [entry] = i < 0 ? [] : entries.splice(i, 1);
      // Also when none was warm: a fill that gave up after repeated failures tries again on demand.
      fill();
      return entry?.notebook ?? null;
    },
    size: () => ({ warm: entries.filter((e) => e.warm).length, starting: entries.filter((e) => !e.warm).length }),
    async close() {
      closed = true;
      await filling;
      await Promise.all(entries.splice(0).map(async ({ notebook }) => {
        await notebook.standby.discard();
        await rm(notebook.dir, { recursive: true, force: true });
        await releaseUid(opts.claimsDir, notebook.owner);
      }));
    },
  };
}
