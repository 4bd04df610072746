/** Writing to the terminal (or a pipe): lines, JSON, and a quiet end when the reader goes away. */

export const print = (s: string): void => {
  process.stdout.write(s + '\n');
};

/** --json output: one document, indented so a person can read it too. */
export const printJson = (data: unknown): void => print(JSON.stringify(data, null, 2));

/**
 * `goldpath envs | head -1`: once the reader has gone, writing fails with EPIPE. That is how a pipe
 * ends, not an error of ours, so exit 0 without a word (as cat, ls and git do).
 */
let exitOnClosedPipe = true;

export function endQuietlyOnClosedPipe(): void {
  const closed = (e: NodeJS.ErrnoException) => e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED';
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (!closed(e)) throw e;
    if (exitOnClosedPipe) process.exit(0);
  });
  // Nobody reads our errors any more: the exit status still tells how the command went.
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (!closed(e)) throw e;
  });
}

/** For `goldpath up`: a platform must not die with its log reader; it keeps running until Ctrl-C, which stops it cleanly. */
export function outliveClosedPipe(): void {
  exitOnClosedPipe = false;
}
