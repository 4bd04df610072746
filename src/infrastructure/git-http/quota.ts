import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MB = 1024 * 1024;

/** Every repository's size limit unless the platform says otherwise: big enough for code and notebooks, not for data sets. */
export const DEFAULT_GIT_QUOTA_BYTES = 500 * MB;

/** The quota from GOLDPATH_GIT_QUOTA_MB, else the default; a value that is not a positive number is an error, not ignored. */
export function gitQuotaFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GOLDPATH_GIT_QUOTA_MB;
  if (raw === undefined || raw === '') return DEFAULT_GIT_QUOTA_BYTES;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`GOLDPATH_GIT_QUOTA_MB must be a positive number of megabytes, not ${JSON.stringify(raw)}`);
  return Math.round(mb * MB);
}

/**
 * git runs pre-receive after it has received a push's objects into a quarantine directory inside
 * the repository's objects/ and before any ref moves, so the repository's size on disk at that
 * moment is its size if the push were accepted. Refusing there leaves the repository as it was (git
 * drops the quarantine), and what the hook writes to stderr reaches the pusher as "remote: …".
 */
const PRE_RECEIVE = `#!/bin/sh
# Goldpath: refuses a push that would take the repository over its size quota.
cat >/dev/null
# du -k is POSIX (busybox too): the space the repository takes on disk, in KiB.
kb=$(du -sk . | cut -f1)
case "$kb" in
  ''|*[!0-9]*) echo "warning: could not measure this repository's size; its quota was not checked" >&2; exit 0 ;;
esac
size=$((kb * 1024))
if [ "$size" -gt "$GOLDPATH_GIT_QUOTA_BYTES" ]; then
  mb() { awk -v b="$1" -v up="$2" 'BEGIN { m = b / 1048576; s = (m < 10) ? 10 : 1; v = (up == 1) ? int(m * s + 0.999999) / s : int(m * s + 0.5) / s; printf "%g", v }'; }
  echo "repository $GOLDPATH_GIT_REPO would be $(mb "$size" 1) MB, over its $(mb "$GOLDPATH_GIT_QUOTA_BYTES" 0) MB quota; remove large files from your history or use the bucket for data" >&2
  exit 1
fi
exit 0
`;

/** Writes the quota hook once into `dir` (outside every repository) and returns the hooks directory. */
export async function installQuotaHook(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const hook = join(dir, 'pre-receive');
  await writeFile(hook, PRE_RECEIVE);
  await chmod(hook, 0o755);
  return dir;
}

/**
 * The environment that makes git's receive-pack enforce the quota: the hook for the clear message,
 * and receive.maxInputSize as the backstop that stops reading a push far over it (twice the quota)
 * while it streams, so no push fills the disk before the hook could look at it.
 */
export function quotaGitEnv(hooksDir: string, repo: string, quotaBytes: number): Record<string, string> {
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'core.hooksPath',
    GIT_CONFIG_VALUE_0: hooksDir,
    GIT_CONFIG_KEY_1: 'receive.maxInputSize',
    GIT_CONFIG_VALUE_1: String(2 * quotaBytes),
    GOLDPATH_GIT_REPO: repo,
    GOLDPATH_GIT_QUOTA_BYTES: String(quotaBytes),
  };
}
