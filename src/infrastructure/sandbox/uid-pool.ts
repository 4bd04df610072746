/**
 * One uid per workspace, so that workspaces cannot read each other's files or signal each other's
 * processes. A claim is a file named by the uid, created with O_EXCL (atomic on one filesystem, so
 * twenty launches at once never get the same uid), holding its owner's key; a second file named by
 * the owner points at its uid, so the same workspace finds its own uid again after a restart or a
 * crash, however the claims around it came and went.
 */
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Far above the host's own users and the usual subordinate-uid ranges' start (100000). */
export const WORKSPACE_UID_BASE = 2_000_000;
export const WORKSPACE_UID_SPAN = 1_000_000;
const MAX_PROBES = 10_000;

const digest = (owner: string) => createHash('sha256').update(owner).digest();
const claimFile = (dir: string, uid: number) => join(dir, String(uid));
const pointerFile = (dir: string, owner: string) => join(dir, `owner-${digest(owner).toString('hex').slice(0, 32)}`);

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** The uid `owner` (e.g. "<environment>/<resource>") already holds, if any. */
async function heldBy(dir: string, owner: string): Promise<number | null> {
  const uid = Number(await readOrNull(pointerFile(dir, owner)));
  return Number.isInteger(uid) && uid > 0 && (await readOrNull(claimFile(dir, uid))) === owner ? uid : null;
}

/** The uid of `owner`, claimed on first call; idempotent. */
export async function claimUid(claimsDir: string, owner: string): Promise<number> {
  await mkdir(claimsDir, { recursive: true, mode: 0o700 });
  const held = await heldBy(claimsDir, owner);
  if (held !== null) return held;
  const start = digest(owner).readUInt32BE(0) % WORKSPACE_UID_SPAN;
  for (let i = 0; i < MAX_PROBES; i++) {
    const uid = WORKSPACE_UID_BASE + ((start + i) % WORKSPACE_UID_SPAN);
    try {
      await writeFile(claimFile(claimsDir, uid), owner, { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      continue;
    }
    await writeFile(pointerFile(claimsDir, owner), String(uid), { mode: 0o600 });
    return uid;
  }
  throw new Error(`no free workspace uid after ${MAX_PROBES} tries`);
}

/** Gives the owner's uid back; no error when it holds none. */
export async function releaseUid(claimsDir: string, owner: string): Promise<void> {
  const held = await heldBy(claimsDir, owner);
  if (held !== null) await unlink(claimFile(claimsDir, held)).catch(() => {});
  await unlink(pointerFile(claimsDir, owner)).catch(() => {});
}

/**
 * Moves `from`'s uid to `to` (a warm notebook's uid to the environment that claims it), with the
 * files it owns; returns it, or null when `from` holds none. `to` must hold none yet.
 */
export async function transferUid(claimsDir: string, from: string, to: string): Promise<number | null> {
  const held = await heldBy(claimsDir, from);
  if (held === null) return null;
  // In this order, a crash between steps leaves the uid with exactly one of them (heldBy checks both files).
  await writeFile(pointerFile(claimsDir, to), String(held), { mode: 0o600 });
  await writeFile(claimFile(claimsDir, held), to, { mode: 0o600 });
  await unlink(pointerFile(claimsDir, from)).catch(() => {});
  return held;
}

/** Gives back every uid whose owner starts with `prefix` (the warm notebooks a stopped platform left). */
export async function releaseUidsOf(claimsDir: string, prefix: string): Promise<void> {
  let files: string[];
  try {
    files = await readdir(claimsDir);
  } catch {
    return;
  }
  for (const f of files.filter((n) => /^\d+$/.test(n))) {
    const owner = await readOrNull(claimFile(claimsDir, Number(f)));
    if (owner?.startsWith(prefix)) await releaseUid(claimsDir, owner);
  }
}
