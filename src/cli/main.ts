import { Command } from 'commander';
import { CliError, connect } from './client.ts';
import { up } from './commands/up.ts';
import { listPaths } from './commands/paths.ts';
import { launch, listEnvironments, showEnvironment, changeEnvironment } from './commands/environments.ts';
import { readCredentials, resolveHome } from '../platform/config.ts';
import { decide, listApprovals } from './commands/approvals.ts';
import { registerCatalogCommands } from './commands/catalog.ts';
import { red } from './format.ts';

const program = new Command('goldpath')
  .description('Golden paths to working environments: repo, notebook, bucket and governed data in seconds')
  .option('--server <url>', 'the platform to talk to (default $GOLDPATH_URL, else the local one)')
  .option('--as <user>', 'act as this local user (embedded default only)')
  .option('--data-dir <dir>', 'the local platform\'s data folder (default $GOLDPATH_HOME or ./.goldpath)')
  .showHelpAfterError();

const conn = () => {
  const o = program.opts<{ server?: string; as?: string; dataDir?: string }>();
  return connect(o);
};

let exitCode = 0;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes each command's own arguments
const run = <A extends any[]>(fn: (...args: A) => Promise<number>) => async (...args: A) => {
  exitCode = await fn(...args);
};

program.command('up').description('start the whole platform on the embedded default and print its URL')
  .option('--port <port>', 'HTTP port (default 7300; the S3 endpoint uses the next one)')
  .option('--paths-dir <dir>', 'your organisation\'s golden paths (default $GOLDPATH_PATHS_DIR or <data-dir>/paths)')
  .option('--scale <n>', 'warehouse size multiplier on first start (default 1)')
  .option('--json', 'print the URLs as JSON')
  .action(run((opts: { port?: string; pathsDir?: string; scale?: string; json?: boolean }) => up({ ...opts, dataDir: program.opts().dataDir })));

program.command('paths').description('list the golden paths').option('--json', 'machine-readable output')
  .action(run((opts: { json?: boolean }) => listPaths(conn(), opts)));

program.command('launch <path>').description('launch a golden path')
  .option('--team <team>', 'the team the environment belongs to (default: yours)')
  .option('--name <name>', 'a name for the environment')
  .option('--param <key=value...>', 'a launch parameter (repeatable)')
  .option('--reason <why>', 'why you need the data (paths that need the data owners\' approval)')
  .option('--wait', 'show progress and end when it is ready or failed')
  .option('--json', 'print the environment as JSON')
  .action(run((path: string, opts: { team?: string; name?: string; param?: string[]; reason?: string; wait?: boolean; json?: boolean }) => launch(conn(), path, opts)));

program.command('approvals').description('requests for data access waiting for your decision')
  .option('--mine', 'the requests you made instead').option('--all', 'decided ones too').option('--json', 'machine-readable output')
  .action(run((opts: { mine?: boolean; all?: boolean; json?: boolean }) => listApprovals(conn(), opts)));
for (const decision of ['approve', 'reject'] as const) {
  program.command(`${decision} <id>`).description(`${decision} a request for data access (as a member of the owning team)`)
    .requiredOption('--reason <why>', 'recorded with your decision').option('--json', 'machine-readable output')
    .action(run((id: string, opts: { reason: string; json?: boolean }) => decide(conn(), decision, id, opts)));
}

program.command('envs').description('list environments of your team')
  .option('--team <team>', 'another team (admins)').option('--mine', 'only yours').option('--all', 'include deleted ones').option('--json', 'machine-readable output')
  .action(run((opts: { team?: string; mine?: boolean; all?: boolean; json?: boolean }) => listEnvironments(conn(), opts)));

program.command('env <id>').description('show one environment with its URLs')
  .option('--events', 'show its history too').option('--json', 'machine-readable output')
  .action(run((id: string, opts: { json?: boolean; events?: boolean }) => showEnvironment(conn(), id, opts)));

const lifecycle = {
  delete: 'delete an environment and everything it made',
  stop: 'stop an environment\'s running parts (its notebook); work, repo, bucket and data access are kept',
  start: 'start a stopped environment again',
} as const;
for (const [action, description] of Object.entries(lifecycle) as [keyof typeof lifecycle, string][]) {
  program.command(`${action} <id>`).description(description)
    .option('--wait', 'end when it is done').option('--json', 'machine-readable output')
    .action(run((id: string, opts: { wait?: boolean; json?: boolean }) => changeEnvironment(conn(), action, id, opts)));
}

program.command('token').description('print your API token, for curl -H "Authorization: Bearer …"').option('--json', 'machine-readable output')
  .action(run(async (opts: { json?: boolean }) => {
    const client = conn();
    if (!client.token) throw new CliError('no token: set GOLDPATH_TOKEN, or start the local platform with `goldpath up`');
    const me = await client.request<{ id: string }>('GET', '/api/v1/me');
    process.stdout.write(opts.json ? JSON.stringify({ user: me.id, token: client.token }) + '\n' : client.token + '\n');
    return 0;
  }));

program.command('users').description('list the local users you can act as with --as (embedded default)')
  .action(run(async () => {
    const creds = readCredentials(resolveHome(program.opts().dataDir));
    if (!creds) throw new CliError('no local platform here: start it with `goldpath up`');
    for (const u of Object.keys(creds.tokens)) process.stdout.write(`${u}${u === creds.defaultUser ? ' (default)' : ''}\n`);
    if (creds.demoPassword) process.stdout.write(`\nportal password of these demo accounts: ${creds.demoPassword}\n`);
    return 0;
  }));

registerCatalogCommands(program, conn);

program.command('warehouse').description('the governed warehouse')
  .command('apply').description('apply the edited warehouse policy file: masked views, grants and the data dictionary follow it (admins)')
  .option('--json', 'machine-readable output')
  .action(run(async (opts: { json?: boolean }) => {
    const r = await conn().request<{ datasets: number }>('POST', '/api/v1/warehouse/apply');
    process.stdout.write(opts.json ? JSON.stringify(r) + '\n' : `warehouse policy applied: ${r.datasets} tables and views described\n`);
    return 0;
  }));

try {
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (e) {
  process.stderr.write(red(`error: ${(e as Error).message}`) + '\n');
  if (!(e instanceof CliError) && process.env.GOLDPATH_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
}
