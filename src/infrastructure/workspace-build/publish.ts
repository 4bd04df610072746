/**
 * Copies what a build made into a folder the platform owns and serves. Only regular files and
 * folders are copied, read without following links: a build may leave `index.html -> /etc/shadow`
 * or a link into the platform's data folder, and the platform (which can read those) must never
 * serve what a link points at. Sizes are capped so a build cannot fill the disk through its output.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PublishLimits {
  maxBytes: number;
  maxFiles: number;
}

export class PublishError extends Error {}

/** Copies `from` into a new `to` (made through a temporary sibling, so `to` is complete or absent). */
export async function publishOutput(from: string, to: string, limits: PublishLimits): Promise<{ files: number; bytes: number }> {
  const st = await lstat(from).catch(() => null);
  if (!st?.isDirectory()) throw new PublishError(`the build made no folder ${from.split('/').pop()}/ to publish`);
  const tmp = `${to}.tmp-${process.pid}-${Date.now()}`;
  const count = { files: 0, bytes: 0 };
  try {
    await copyTree(from, tmp, limits, count);
    await rm(to, { recursive: true, force: true });
    await rename(tmp, to);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return count;
}

async function copyTree(from: string, to: string, limits: PublishLimits, count: { files: number; bytes: number }): Promise<void> {
  await mkdir(to, { mode: 0o700 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    const st = await lstat(src);
    if (st.isDirectory()) {
      await copyTree(src, dest, limits, count);
    } else if (st.isFile()) {
      count.files += 1;
      count.bytes += st.size;
      if (count.files > limits.maxFiles) throw new PublishError(`the output has more than ${limits.maxFiles} files`);
      if (count.bytes > limits.maxBytes) throw new PublishError(`the output is larger than ${Math.round(limits.maxBytes / 1e6)} MB`);
      // O_NOFOLLOW: the file was regular at lstat; if it has become a link since, opening fails.
      const handle = await open(src, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        await writeFile(dest, await handle.readFile(), { mode: 0o600 });
      } finally {
        await handle.close();
      }
    }
    // Links, sockets, devices and pipes are left out.
  }
}
