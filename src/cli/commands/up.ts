import { startPlatform } from '../../platform/platform.ts';
import { platformConfig } from '../../platform/config.ts';
import { bold, dim, green } from '../format.ts';
import { outliveClosedPipe } from '../output.ts';

/** Runs the whole platform in this process until Ctrl-C, then stops everything it started. */
export async function up(opts: { port?: string; dataDir?: string; pathsDir?: string; scale?: string; json?: boolean }): Promise<number> {
  const port = opts.port !== undefined ? Number(opts.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65534)) {
    process.stderr.write(`--port ${opts.port}: give a port number between 1 and 65533\n`);
    return 2;
  }
  outliveClosedPipe();
  const config = platformConfig({ port, dataDir: opts.dataDir, pathsDir: opts.pathsDir, scale: opts.scale ? Number(opts.scale) : undefined });
  const t0 = performance.now();
  const log = (s: string) => {
    if (!opts.json) process.stdout.write(dim(`  ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s ${s}`) + '\n');
  };
  if (!opts.json) process.stdout.write(`starting Goldpath (data in ${config.home})\n`);
  // Signals are caught from the start: one during the start (PostgreSQL up, the warehouse seeding) stops what has started.
  const interrupted = new AbortController();
  let onSignal = () => interrupted.abort(new Error('interrupted'));
  process.on('SIGINT', () => onSignal());
  process.on('SIGTERM', () => onSignal());
  let platform;
  try {
    platform = await startPlatform(config, log, interrupted.signal);
  } catch (e) {
    if (!interrupted.signal.aborted) throw e;
    if (!opts.json) process.stdout.write('\nstopped while starting\n');
    return 130;
  }
  if (opts.json) process.stdout.write(JSON.stringify({ url: platform.url, s3: platform.s3Url, home: config.home, localAccounts: platform.localAccountsFile }) + '\n');
  else process.stdout.write(`\n${green('Goldpath is ready')} at ${bold(platform.url)}  ${dim(`(${((performance.now() - t0) / 1000).toFixed(1)} s; Ctrl-C stops it)`)}\n`);
  // Where, never what: the passwords stay in a file only the operator can read, out of terminals and logs.
  if (!opts.json) process.stdout.write(`local accounts and their passwords (each person their own; readable by you only): ${bold(platform.localAccountsFile)}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      if (!opts.json) process.stdout.write('\nstopping…\n');
      platform.stop().finally(resolve);
    };
    if (interrupted.signal.aborted) stop(); // the signal came as the start finished
    onSignal = stop;
  });
  if (!opts.json) process.stdout.write('stopped\n');
  return 0;
}
