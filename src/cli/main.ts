import { Command } from 'commander';
import { red } from './format.ts';
import { endQuietlyOnClosedPipe } from './output.ts';

// Only what every command needs is imported here: each command's action imports its own module
// when it runs, so `--help` or `envs` never load the server, the YAML parser or the validators.
// bench/cli.ts measures it (target: ≤ 150 ms, ≤ 60 MB).

endQuietlyOnClosedPipe();

declare global {
  /** Set by the bundle's entry (src/cli/bundle-entry.ts); absent when run from the sources. */
  var goldpathCli: { version: string; build: string } | undefined;
}
const about = globalThis.goldpathCli ?? {
  version: (JSON.parse(process.getBuiltinModule('node:fs').readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  build: 'from sources',
};

const program = new Command('goldpath')
  .description('Golden paths to working environments: repo, notebook, bucket and governed data in seconds')
  .option('--server <url>', 'the platform to talk to (default $GOLDPATH_URL, else the local one)')
  .option('--as <user>', 'act as this local user (embedded default only)')
  .option('--data-dir <dir>', 'the local platform\'s data folder (default $GOLDPATH_HOME or ./.goldpath)')
  .version(`${about.version} (${about.build})`, '-V, --version', 'the version, and whether the bundle or the sources run')
  .showHelpAfterError();

const global = () => program.opts<{ server?: string; as?: string; dataDir?: string }>();
const conn = async () => (await import('./client.ts')).connect(global());

let exitCode = 0;
const run = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => async (...args: A) => {
  exitCode = await fn(...args);
};
const json = '--json';
const jsonHelp = 'machine-readable output';

program.command('up').description('start the whole platform on the embedded default and print its URL')
  .option('--port <port>', 'HTTP port (default 7300; the S3 endpoint uses the next one)')
  .option('--paths-dir <dir>', 'your organisation\'s golden paths (default $GOLDPATH_PATHS_DIR or <data-dir>/paths)')
  .option('--scale <n>', 'warehouse size multiplier on first start (default 1)')
  .option(json, 'print the URLs as JSON')
  .action(run(async (opts: { port?: string; pathsDir?: string; scale?: string; json?: boolean }) =>
    (await import('./commands/up.ts')).up({ ...opts, dataDir: global().dataDir })));

program.command('paths').description('list the golden paths').option(json, jsonHelp)
  .action(run(async (opts: { json?: boolean }) => (await import('./commands/paths.ts')).listPaths(await conn(), opts)));

program.command('launch <path>').description('launch a golden path')
  .option('--team <team>', 'the team the environment belongs to (default: yours)')
  .option('--name <name>', 'a name for the environment')
  .option('--param <key=value...>', 'a launch parameter (repeatable)')
  .option('--reason <why>', 'why you need the data (paths that need the data owners\' approval)')
  .option('--extend <file>', 'add to a software path what your service needs: an Extension file, like a repository\'s goldpath.yaml')
  .option('--wait', 'show progress and end when it is ready or failed')
  .option(json, 'print the environment as JSON')
  .action(run(async (path: string, opts: { team?: string; name?: string; param?: string[]; reason?: string; extend?: string; wait?: boolean; json?: boolean }) =>
    (await import('./commands/launch.ts')).launch(await conn(), path, opts)));

program.command('approvals').description('requests for data access waiting for your decision')
  .option('--mine', 'the requests you made instead').option('--all', 'decided ones too').option(json, jsonHelp)
  .action(run(async (opts: { mine?: boolean; all?: boolean; json?: boolean }) => (await import('./commands/approvals.ts')).listApprovals(await conn(), opts)));
for (const decision of ['approve', 'reject'] as const) {
  program.command(`${decision} <id>`).description(`${decision} a request for data access (as a member of the owning team)`)
    .requiredOption('--reason <why>', 'recorded with your decision').option(json, jsonHelp)
    .action(run(async (id: string, opts: { reason: string; json?: boolean }) => (await import('./commands/approvals.ts')).decide(await conn(), decision, id, opts)));
}
program.command('break-glass <id>').description('as a platform admin, decide a request for an owning team you are not in (only if a policy allows it; the team is told)')
  .option('--approve', 'approve it').option('--reject', 'reject it')
  .requiredOption('--reason <why>', 'shown to the owning team and kept in the audit log').option(json, jsonHelp)
  .action(run(async (id: string, opts: { approve?: boolean; reject?: boolean; reason: string; json?: boolean }) => {
    if (Boolean(opts.approve) === Boolean(opts.reject)) throw new Error('say --approve or --reject');
    return (await import('./commands/approvals.ts')).decide(await conn(), opts.approve ? 'approve' : 'reject', id, { ...opts, breakGlass: true });
  }));

program.command('envs').description('list environments of your team')
  .option('--team <team>', 'another team (admins)').option('--mine', 'only yours').option('--all', 'include deleted ones').option(json, jsonHelp)
  .action(run(async (opts: { team?: string; mine?: boolean; all?: boolean; json?: boolean }) =>
    (await import('./commands/environments.ts')).listEnvironments(await conn(), opts)));

program.command('env <id>').description('show one environment with its URLs')
  .option('--events', 'show its history too').option(json, jsonHelp)
  .action(run(async (id: string, opts: { json?: boolean; events?: boolean }) => (await import('./commands/environments.ts')).showEnvironment(await conn(), id, opts)));

const lifecycle = {
  delete: 'delete an environment and everything it made',
  stop: 'stop an environment\'s running parts (its notebook); work, repo, bucket and data access are kept',
  start: 'start a stopped environment again',
} as const;
for (const [action, description] of Object.entries(lifecycle) as [keyof typeof lifecycle, string][]) {
  program.command(`${action} <id>`).description(description)
    .option('--wait', 'end when it is done').option(json, jsonHelp)
    .action(run(async (id: string, opts: { wait?: boolean; json?: boolean }) => (await import('./commands/environments.ts')).changeEnvironment(await conn(), action, id, opts)));
}

program.command('extend <id>').description('keep an environment longer: its expiry moves by --by (default one more of its path\'s ttl), within the path\'s limit')
  .option('--by <duration>', 'how much longer, e.g. 12h or 2d').option(json, jsonHelp)
  .action(run(async (id: string, opts: { by?: string; json?: boolean }) => (await import('./commands/extend.ts')).extend(await conn(), id, opts)));

program.command('notices').description('what the platform told you and your team: expiry warnings, idle stops, break-glass approvals (in red)')
  .option('--all', 'read ones too').option('--read <id>', 'mark one read').option(json, jsonHelp)
  .action(run(async (opts: { all?: boolean; read?: string; json?: boolean }) => (await import('./commands/notices.ts')).notices(await conn(), opts)));

program.command('quotas').description('what your team holds against its quotas (running environments, notebooks, warehouse connections, storage)')
  .option('--team <team>', 'another team (admins)').option(json, jsonHelp)
  .action(run(async (opts: { team?: string; json?: boolean }) => (await import('./commands/quotas.ts')).showQuotas(await conn(), opts)));

program.command('spend').description('an itemised breakdown of a team\'s usage and spend, from the rate card')
  .option('--team <team>', 'the team (default: yours; * for every team, admins)')
  .option('--by <grouping>', 'resource, resourceType, user, path, environment, team or day', 'resource')
  .option('--from <date>', 'start of the window, ISO date or time (default: the first of this month, UTC)')
  .option('--to <date>', 'end of the window; a date alone means the end of that day (default: now)')
  .option('--csv', 'CSV for a spreadsheet, with a TOTAL line').option(json, jsonHelp)
  .action(run(async (opts: { team?: string; by?: string; from?: string; to?: string; csv?: boolean; json?: boolean }) => (await import('./commands/spend.ts')).showSpend(await conn(), opts)));

program.command('budgets').description('the teams\' monthly budgets and where each stands; admins set one with --team and --set')
  .option('--team <team>', 'one team').option('--set <amount>', 'set the team\'s monthly budget (admins)')
  .option('--threshold <percent>', 'with --set: the notice goes to the team at this percent (default 80)').option(json, jsonHelp)
  .action(run(async (opts: { team?: string; set?: string; threshold?: string; json?: boolean }) => (await import('./commands/spend.ts')).budgets(await conn(), opts)));

program.command('policies').description('the policies in force: id, permit or forbid, file:line and the reason a person reads')
  .option(json, jsonHelp)
  .action(run(async (opts: { json?: boolean }) => (await import('./commands/policies.ts')).showPolicies(await conn(), opts)));

program.command('token').description('print your API token, for curl -H "Authorization: Bearer …"; or list and revoke your tokens')
  .option('--list', 'list your tokens that still work (never their secrets)')
  .option('--revoke <id>', 'revoke one of your tokens by its id (from --list)')
  .option(json, jsonHelp)
  .action(run(async (opts: { list?: boolean; revoke?: string; json?: boolean }) => (await import('./commands/tokens.ts')).token(await conn(), opts)));

program.command('login').description('sign in to a platform (--server): through its single sign-on in your browser, or with --user and a password')
  .option('--user <name>', 'a local account of that platform (the password is asked, not echoed)')
  .option('--password-stdin', 'read the password from standard input (scripts)')
  .option(json, jsonHelp)
  .action(run(async (opts: { user?: string; passwordStdin?: boolean; json?: boolean }) => (await import('./commands/login.ts')).login({ ...global(), ...opts })));

program.command('users').description('list the local users you can act as with --as (embedded default); on a remote server, who you are')
  .option(json, jsonHelp)
  .action(run(async (opts: { json?: boolean }) => (await import('./commands/users.ts')).listUsers({ ...global(), ...opts })));

const catalog = program.command('catalog').description('the catalog: services, APIs, datasets, features, models, paths, environments, teams');
catalog.command('search <text>').description('search the catalog, best match first')
  .option('--kind <kinds>', 'only these kinds, e.g. Dataset,Model')
  .option('--type <type>', 'only this spec.type, e.g. service')
  .option('--tag <tag>', 'only entities with this tag')
  .option('--owner <owner>', 'only entities owned by this group (or user:name)')
  .option('--limit <n>', 'how many (default 20)')
  .option(json, jsonHelp)
  .action(run(async (text: string, opts: { kind?: string; type?: string; tag?: string; owner?: string; limit?: string; json?: boolean }) =>
    (await import('./commands/catalog.ts')).searchCatalog(await conn(), text, opts)));
catalog.command('get <ref>').description('show one entity (kind:namespace/name) with its relations')
  .option(json, jsonHelp)
  .action(run(async (ref: string, opts: { json?: boolean }) => (await import('./commands/catalog.ts')).getCatalogEntity(await conn(), ref, opts)));
catalog.command('import <folder|file|glob>').description('import catalog-info.yaml files, any number; re-importing replaces what the last import of the same source registered')
  .option('--source <name>', 'name of this import (default import:<file or folder name>)')
  .option(json, jsonHelp)
  .action(run(async (path: string, opts: { source?: string; json?: boolean }) => (await import('./commands/catalog-import.ts')).importCatalog(await conn(), path, opts)));

program.command('warehouse').description('the governed warehouse')
  .command('apply').description('apply the edited warehouse policy file: masked views, grants and the data dictionary follow it (admins)')
  .option(json, jsonHelp)
  .action(run(async (opts: { json?: boolean }) => (await import('./commands/warehouse.ts')).applyWarehousePolicy(await conn(), opts)));

program.command('mcp').description('serve the platform to an AI assistant over MCP on stdio (launch, inspect, stop, delete, catalog, spend), acting as you')
  .action(run(async () => (await import('./commands/mcp.ts')).serveMcp(await conn(), about.version)));

program.command('audit').description('the audit log, newest first: who did what, on what, allowed or denied and by which policy')
  .option('--user <user>', 'only what this user did (\'system\' for the platform itself)')
  .option('--team <team>', 'only what concerned this team (without it: the whole log, admins)')
  .option('--action <action>', 'only this action, e.g. launch, breakGlass, signIn')
  .option('--since <when>', 'only rows since then: 30m, 1h, 7d, or a date like 2026-12-01')
  .option('--limit <n>', 'how many (default 50, at most 500)')
  .option('--cursor <next>', 'older rows: the cursor a previous page printed')
  .option(json, jsonHelp)
  .action(run(async (opts: { user?: string; team?: string; action?: string; since?: string; limit?: string; cursor?: string; json?: boolean }) =>
    (await import('./commands/audit.ts')).showAudit(await conn(), opts)));

program.command('ask <sentence...>').description('ask in a sentence: "launch a data science experiment", "my team\'s spend last month by user"; shows what it understood and asks before it changes anything')
  .option('--yes', 'confirm what it proposes without asking (scripts)').option(json, jsonHelp)
  .action(run(async (sentence: string[], opts: { yes?: boolean; json?: boolean }) => (await import('./commands/ask.ts')).ask(await conn(), sentence, opts)));

try {
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (e) {
  process.stderr.write(red(`error: ${(e as Error).message}`) + '\n');
  const { CliError } = await import('./client.ts');
  if (!(e instanceof CliError) && process.env.GOLDPATH_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
}
