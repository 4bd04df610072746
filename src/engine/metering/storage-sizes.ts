import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Each bucket's size on disk in bytes (the local object store keeps a folder per bucket), measured
 * with one `du -sk` for all of them, as the quotas measure storage. Missing buckets are left out.
 */
export async function bucketSizes(bucketsDir: string, buckets: string[]): Promise<Map<string, number>> {
  const folders = new Map(buckets.filter((b) => /^[a-z0-9][a-z0-9.-]*$/.test(b)).map((b) => [join(bucketsDir, b), b]));
  const present = [...folders.keys()].filter((f) => existsSync(f));
  const sizes = new Map<string, number>();
  if (present.length === 0) return sizes;
  // A folder removed between the check and du makes du exit 1 with the rest still measured.
  const { stdout } = await run('du', ['-sk', '--', ...present], { maxBuffer: 16 * 1024 * 1024 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const bucket = folders.get(line.slice(tab + 1));
    const kib = Number(line.slice(0, tab));
    if (bucket && Number.isFinite(kib)) sizes.set(bucket, kib * 1024);
  }
  return sizes;
}
