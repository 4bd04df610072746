/**
 * One uid per workspace, so that workspaces cannot read each other's files or signal each other's
 * processes. A claim is a file named by the uid, created with O_EXCL (atomic on one filesystem, so
 * twenty launches at once never get the same uid), holding its owner's key. The probe sequence
 * starts at a hash of the owner, so the same workspace finds its own claim again after a crash
 * without a lookup table.
 */
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Far above the host's own users and the usual subordinate-uid ranges' start (100000). */
export const WORKSPACE_UID_BASE = 2_000_000;
export const WORKSPACE_UID_SPAN = 1_000_000;
const MAX_PROBES = 10_000;

function* candidates(owner: string): Generator<number> {
  const start = createHash('sha256').update(owner).digest().readUInt32BE(0) % WORKSPACE_UID_SPAN;
  for (let i = 0; i < MAX_PROBES; i++) yield WORKSPACE_UID_BASE + ((start + i) % WORKSPACE_UID_SPAN);
}

async function ownerOf(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** The uid of `owner` (e.g. "<environment>/<resource>"), claimed on first call; idempotent. */
export async function claimUid(claimsDir: string, owner: string): Promise<number> {
  await mkdir(claimsDir, { recursive: true, mode: 0o700 });
  for (const uid of candidates(owner)) {
    const file = join(claimsDir, String(uid));
    try {
      await writeFile(file, owner, { flag: 'wx', mode: 0o600 });
      return uid;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if ((await ownerOf(file)) === owner) return uid;
    }
  }
  throw new Error(`no free workspace uid after ${MAX_PROBES} tries`);
}

/** Gives the owner's uid back; no error when it holds none. */
export async function releaseUid(claimsDir: string, owner: string): Promise<void> {
  for (const uid of candidates(owner)) {
    const file = join(claimsDir, String(uid));
    const held = await ownerOf(file);
    if (held === null) return; // claims are made in probe order: a gap means the owner holds none
    if (held === owner) {
      await unlink(file).catch(() => {});
      return;
    }
  }
}
