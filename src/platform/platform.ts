import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import pg from 'pg';
import { createApi } from '../api/app.ts';
import { createFrontDoor } from '../api/front-door/door.ts';
import { workspaceDomainFor } from '../api/front-door/workspace-origin.ts';
import { DriverRegistry } from '../drivers/driver.ts';
import { gitRepoDriver } from '../drivers/local/git-repo.ts';
import { warehouseDriver } from '../drivers/local/warehouse.ts';
import { bucketDriver } from '../drivers/local/bucket.ts';
import { notebookDriver } from '../drivers/local/notebook.ts';
import { anyPath } from '../drivers/local/notebook-pool.ts';
import { databaseDriver } from '../drivers/local/database.ts';
import { cacheDriver } from '../drivers/local/cache.ts';
import { extendOnPush } from '../engine/environments/extend-environment.ts';
import { ideDriver } from '../drivers/local/ide.ts';
import { sitePreviewDriver } from '../drivers/local/site-preview.ts';
import { javaServiceDriver } from '../drivers/local/java-service.ts';
import { PgBuildJournal } from '../engine/builds/build-journal.ts';
import { buildsOnPush } from './builds-on-push.ts';
import { defaultLocalUser } from '../engine/identity/demo-organisation.ts';
import { applyOrganisation, loadOrganisationFile, type Organisation } from '../engine/identity/organisation.ts';
import { ensureLocalAccounts } from '../engine/identity/local-accounts.ts';
import { OidcSignIn } from '../engine/identity/oidc.ts';
import { issueToken, tokenIsValid } from '../engine/identity/users.ts';
import { EventFeed } from '../engine/live/event-feed.ts';
import { PathLibrary } from '../engine/paths/library.ts';
import { PolicyEngine } from '../engine/policy/engine.ts';
import { toolCheckFor } from '../engine/tools/tool-check.ts';
import { TeamQuotas } from '../engine/quotas/quotas.ts';
import { formatPathError } from '../engine/paths/loader.ts';
import { prepareJobQueue, startOrchestrator, type Orchestrator } from '../engine/orchestrator/worker.ts';
import { startLifetimeSweeper } from '../engine/lifetimes/sweeper.ts';
import { lifetimesFrom } from '../engine/lifetimes/lifetimes.ts';
import { Spend } from '../engine/spend/service.ts';
import { RateCardFile } from '../engine/spend/rate-card-file.ts';
import { Meter } from '../engine/metering/meter.ts';
import { startMetering } from '../engine/metering/periodic.ts';
import { createGitHttpHandler } from '../infrastructure/git-http/index.ts';
import { startObjectStore } from '../infrastructure/object-store/index.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../infrastructure/postgres/embedded.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { ensureWarehouse, warehouseWatchdog, describeWarehouse, loadPolicy } from '../infrastructure/warehouse/index.ts';
import { ensureDatabase, closeOtherDatabases } from './databases.ts';
import { registerInCatalog, catalogOnPush } from './catalog-registration.ts';
import { syncDatasets } from '../engine/catalog/platform-sync.ts';
import { ensurePortsFree, lockHome } from './home-lock.ts';
import { secureDataFolder } from './data-folder.ts';
import { detectSandbox } from '../infrastructure/sandbox/index.ts';
import { localAccountsFile, readCredentials, writeCredentials, type PlatformConfig } from './config.ts';
import { localState } from './local-state.ts';
import { repoAuthorizer, bucketKeyResolver } from './grants.ts';
import { DatasetInsight } from '../engine/datasets/dataset-insight.ts';

export const builtInPathsDir = fileURLToPath(new URL('../../paths/', import.meta.url));
/** The shipped policies; an organisation's folder (GOLDPATH_POLICIES_DIR, default <data-dir>/policies) overrides them file by file. */
export const builtInPoliciesDir = fileURLToPath(new URL('../../policies/', import.meta.url));
export const portalDistDir = fileURLToPath(new URL('../../portal/dist/', import.meta.url));
export { version } from './version.ts';
import { version } from './version.ts';

export interface RunningPlatform {
  url: string;
  s3Url: string;
  pool: pg.Pool;
  orchestrator: Orchestrator;
  /** Where the local accounts' own passwords are kept, readable by the operator only. */
  localAccountsFile: string;
  stop(): Promise<void>;
}

export type Progress = (step: string) => void;

/** Starts every part of the platform in dependency order; stop() ends them in reverse. */
export async function startPlatform(config: PlatformConfig, report: Progress = () => {}, signal?: AbortSignal): Promise<RunningPlatform> {
  // Ctrl-C while starting ends the start at the next step, and what was started so far is stopped below.
  const progress: Progress = (step) => {
    report(step);
    signal?.throwIfAborted();
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.error(`[platform] stop: ${(e as Error).message}`));
  };
  try {
    secureDataFolder(config.home);
    // Read first: a mistake in it stops the start before anything else is started, with its line.
    const organisation = loadOrganisationFile(config.organisationFile);
    // Policies too: a platform whose rules do not parse or validate does not start (file and line are printed).
    const orgPolicies = process.env.GOLDPATH_POLICIES_DIR || join(config.home, 'policies');
    mkdirSync(orgPolicies, { recursive: true }); // there from the start, so a file dropped in later is picked up
    const policies = PolicyEngine.load([builtInPoliciesDir, orgPolicies], { log: progress });
    let onPolicyChange = () => {};
    policies.watch(() => onPolicyChange());
    stops.push(async () => policies.close());
    progress(`policies: ${policies.policies.length} in force, from ${policies.dirs.join(' and ')}`);
    // The rate card beside them: prices that do not parse stop the start here, with file and line.
    const rateCard = new RateCardFile(policies.dirs);
    rateCard.card();
    // Probed in the background: a real sandboxed `true`, ready long before the first launch needs it.
    const sandboxProbe = detectSandbox();
    const publicUrl = `http://${config.host}:${config.port}`;
    const unlock = lockHome(config.home, publicUrl);
    stops.push(async () => unlock());
    await ensurePortsFree(config.host, [
      { port: config.port, what: 'the API and portal', option: '--port <another>' },
      { port: config.s3Port, what: 'the S3 endpoint', option: 'GOLDPATH_S3_PORT=<another> or --port <another>' },
    ]);
    let adminUrl: string;
    let embedded: EmbeddedServer | undefined;
    if (config.databaseUrl) {
      adminUrl = config.databaseUrl;
      progress(`using PostgreSQL from DATABASE_URL`);
    } else {
      const state = localState(config.home, config.port + 2);
      embedded = await startEmbeddedPostgres({ dataDir: join(config.home, 'pg'), port: state.postgresPort, password: state.postgresPassword });
      stops.push(() => embedded!.stop());
      adminUrl = embedded.adminUrl('postgres');
      progress(`PostgreSQL ready on port ${state.postgresPort}`);
    }
    const platformUrl = config.databaseUrl ?? (await ensureDatabase(adminUrl, 'goldpath'));
    const warehouseUrl = process.env.WAREHOUSE_DATABASE_URL || (await ensureDatabase(adminUrl, config.databaseUrl ? 'goldpath_warehouse' : 'warehouse'));
    const pool = new pg.Pool({ connectionString: platformUrl, max: 40 });
    // Clients lost on a database restart surface as failed queries; these handlers keep the process up.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    stops.push(() => pool.end());
    await migrate(pool);
    await prepareJobQueue(pool);
    const { removed } = await applyOrganisation(pool, organisation);
    if (removed.length) progress(`${removed.length} local account(s) not in ${config.organisationFile} cannot sign in`);
    await ensureLocalTokens(pool, config, organisation);
    progress(`local accounts: ${organisation.users.length} (their passwords are in ${localAccountsFile(config.home)})`);
    progress('platform database migrated and seeded');

    if (embedded) await closeOtherDatabases(adminUrl, ['goldpath', 'postgres', 'template1']);
    const policyPath = config.warehousePolicy;
    const wh = await ensureWarehouse(warehouseUrl, { scale: config.warehouseScale, policyPath, onProgress: (m) => progress(`warehouse: ${m}`) });
    progress(wh.seeded ? 'warehouse seeded' : 'warehouse ready');
    // A role may raise its own timeouts; the watchdog holds it to what it was granted and every team to its connection cap.
    const watchdog = warehouseWatchdog(warehouseUrl);
    const watchdogTimer = setInterval(() => {
      watchdog.round().then((r) => {
        if (r.cancelled + r.idleTerminated + r.overCapTerminated === 0) return;
        progress(`warehouse watchdog: cancelled ${r.cancelled} statement(s) past their granted time, ended ${r.idleTerminated} session(s) idle in a transaction too long and ${r.overCapTerminated} over a connection cap`);
      }, () => {}); // the server restarting or busy: the next round tries again
    }, 1000);
    watchdogTimer.unref();
    // Masked data is a refreshed copy (so EXPLAIN shows no hidden rows); the first check of a day refreshes it,
    // the others cost one fingerprint comparison. A platform that runs for weeks stays a day fresh at most.
    const freshnessTimer = setInterval(() => {
      ensureWarehouse(warehouseUrl, { policyPath }).catch((e) => console.error(`[warehouse] refresh: ${(e as Error).message}`));
    }, 3600_000);
    freshnessTimer.unref();
    stops.push(async () => {
      clearInterval(watchdogTimer);
      clearInterval(freshnessTimer);
      await watchdog.close();
    });

    const store = await startObjectStore({ dataDir: join(config.home, 's3'), port: config.s3Port, host: config.host, resolveKey: bucketKeyResolver(pool) });
    stops.push(() => store.close());
    progress(`object store on ${store.endpoint}`);

    const reposDir = join(config.home, 'repos');
    mkdirSync(reposDir, { recursive: true });
    const wu = new URL(warehouseUrl);
    const sandbox = await sandboxProbe;
    if (sandbox.available) progress(`workspaces run sandboxed (bubblewrap, ${sandbox.mode === 'uid-per-workspace' ? 'a uid of their own each' : 'the platform\'s uid'})`);
    else console.error(`[platform] WORKSPACES ARE NOT SANDBOXED on this host: ${sandbox.reason}. Notebooks see the whole machine (as a uid of their own when the platform runs as root, else as the platform's user); golden paths with sensitive data are refused here.`);
    const notebooks = notebookDriver({
      workDir: join(config.home, 'envs'), reposDir, host: config.host, publicUrl, sandbox,
      onPoolError: (err) => console.error(`[platform] a warm notebook server failed to start: ${err.message}`),
    });
    stops.push(() => notebooks.stopAll());
    const caches = cacheDriver({ workDir: join(config.home, 'envs'), sandbox });
    stops.push(() => caches.stopAll());
    const ides = ideDriver({ workDir: join(config.home, 'envs'), reposDir, publicUrl, sandbox });
    stops.push(() => ides.stopAll());
    const quotas = new TeamQuotas({ policyDirs: policies.dirs, storage: { reposDir, bucketsDir: join(config.home, 's3') } });
    quotas.validate();
    const spend = new Spend({ pool, rateCard });
    // Website previews (and services) build on push in the workspace sandbox; their builds are journaled in PostgreSQL.
    const sitePreviews = sitePreviewDriver({ workDir: join(config.home, 'envs'), reposDir, publicUrl, sandbox, journal: new PgBuildJournal(pool) });
    const services = javaServiceDriver({ workDir: join(config.home, 'envs'), reposDir, publicUrl, sandbox, journal: new PgBuildJournal(pool) });
    stops.push(() => services.stopAll());
    const drivers = new DriverRegistry([
      gitRepoDriver({ reposDir, publicUrl }),
      warehouseDriver({ adminUrl: warehouseUrl, host: wu.hostname, port: Number(wu.port || 5432), database: wu.pathname.slice(1), statementTimeoutMs: config.warehouseStatementTimeoutMs }),
      bucketDriver(store),
      notebooks,
      ides,
      sitePreviews,
      services,
      // A service's own database on this server; its role may reach none of the platform's databases.
      databaseDriver({ adminUrl, host: new URL(adminUrl).hostname, port: Number(new URL(adminUrl).port || 5432), closed: [new URL(platformUrl).pathname.slice(1), wu.pathname.slice(1), ...(embedded ? ['postgres'] : [])] }),
      caches,
    ]);

    const paths = new PathLibrary([builtInPathsDir, ...config.pathDirs], drivers.declarations(), { checkTools: toolCheckFor(policies) });
    const loaded = await paths.reload();
    // GOLDPATH_WARM_NOTEBOOKS keeps that many for any launch; otherwise each path says how many it keeps for its own.
    const keepWarm = () => notebooks.warmFor(config.warmNotebooks === undefined ? paths.warm('notebook') : { [anyPath]: config.warmNotebooks });
    await keepWarm();
    progress(`${loaded.loaded} golden paths loaded`);
    for (const e of loaded.errors) console.error(`[paths] ${formatPathError(e)}`);
    // A policy or registry edit may allow or forbid a tool: the paths are judged again.
    onPolicyChange = () => {
      paths.reload().then(async (r) => {
        r.errors.forEach((e) => console.error(`[paths] ${formatPathError(e)}`));
        await keepWarm();
      }).catch((e: Error) => console.error(`[paths] ${e.message}`));
    };

    const feed = new EventFeed(platformUrl);
    await feed.start();
    stops.push(() => feed.stop());
    const orchestrator = await startOrchestrator({ pool, drivers });
    stops.push(() => orchestrator.stop());
    // Lifetimes: expiry warnings, expired environments deleted and idle ones stopped, every minute.
    const lifetimes = startLifetimeSweeper({ pool, drivers, lifetimeOf: lifetimesFrom(paths) });
    stops.push(async () => lifetimes.stop());
    // Metering: running intervals from the event log, bucket sizes and warehouse query time, and the budgets' notices.
    const warehouseAdmin = new pg.Pool({ connectionString: warehouseUrl, max: 1 });
    warehouseAdmin.on('error', () => {});
    const meter = new Meter({ pool, card: () => spend.card(), bucketsDir: join(config.home, 's3'), warehouse: warehouseAdmin });
    const metering = startMetering({ pool, meter, reports: spend.reports });
    stops.push(async () => {
      metering.stop();
      await warehouseAdmin.end();
    });
    // The policy and the dictionary change only when the policy is applied: read them once, and again then.
    let policy = loadPolicy(policyPath).policy;
    let dictionary = await describeWarehouse(warehouseUrl, { policyPath });
    stops.push(await registerInCatalog({
      pool, paths, feed, dictionary, datasetNames: () => Object.keys(policy.datasets), log: progress, catalogDir: config.catalogDir,
    }));

    const api = createApi({
      pool, paths, feed, version, portalDir: config.portalDir ?? portalDistDir, policy: policies, quotas, spend,
      warmNotebooks: () => notebooks.pool(),
      oidc: config.oidc ? new OidcSignIn(pool, config.oidc) : undefined,
      dataOwners: async () => Object.entries(policy.datasets).map(([dataset, d]) => ({ dataset, owner: d.owner })),
      dataDictionary: async () => dictionary,
      datasetInsight: new DatasetInsight(warehouseUrl),
      // A saved query is a commit in the environment's repository: announced like a push (pushListeners is filled below, before any request).
      sqlConsole: {
        reposDir, timeoutMs: Math.min(30_000, config.warehouseStatementTimeoutMs ?? 30_000),
        announcePush: async (repo) => { await Promise.all(pushListeners.map(async (listener) => listener(repo))); },
      },
      // Raw customer data never runs beside the platform's secrets in an unsandboxed notebook.
      refuseLaunch: sandbox.available ? undefined : (path) => path.dataClass === 'sensitive'
        ? `golden path ${path.id} works on sensitive data, and workspaces cannot be sandboxed on this host (${sandbox.reason}); ask the platform team to install bubblewrap, or use a masked or synthetic path`
        : undefined,
      // Re-reads the policy file: masked views and grants are recompiled, the dictionary and the catalog follow.
      applyWarehousePolicy: async () => {
        await ensureWarehouse(warehouseUrl, { policyPath });
        policy = loadPolicy(policyPath).policy;
        dictionary = await describeWarehouse(warehouseUrl, { policyPath });
        await syncDatasets(pool, dictionary);
        return { datasets: dictionary.relations.length };
      },
    });
    const honoListener = getRequestListener(api.fetch);
    // Each push to a hosted repo is announced to every listener: the catalog, and the builds of the workspaces that serve it.
    const pushListeners: Array<(repo: string) => void | Promise<void>> = [catalogOnPush({ pool, reposDir, policy: policies })];
    pushListeners.push(buildsOnPush({ pool, builders: { 'site-preview': sitePreviews, service: services } }));
    pushListeners.push(extendOnPush({ pool, paths, policy: policies, reposDir })); // a pushed goldpath.yaml extends the environment
    const git = createGitHttpHandler({
      reposDir, prefix: '/git', authorize: repoAuthorizer(pool),
      onPush: async (repo) => {
        await Promise.all(pushListeners.map(async (listener) => listener(repo)));
      },
    });
    // The front door: workspaces' web UIs and services, on this port (docs/front-door.md).
    const door = createFrontDoor({ pool, policy: policies, drivers, origins: { platformOrigin: publicUrl, domain: workspaceDomainFor(config.host, process.env.GOLDPATH_WORKSPACE_DOMAIN) } });
    const server: Server = createServer((req, res) => {
      if (door.owns(req)) return void door.handle(req, res);
      git(req, res)
        .then((handled) => (handled ? undefined : honoListener(req, res)))
        .catch(() => {
          if (!res.headersSent) res.writeHead(500).end('internal error');
        });
    });
    server.keepAliveTimeout = 5000;
    server.on('upgrade', (req, socket, head) => {
      if (!door.upgrade(req, socket, head) && server.listenerCount('upgrade') === 1) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new Error(`port ${config.port} is in use: stop the other program or start with --port <another>`) : e));
      server.listen(config.port, config.host, () => resolve());
    });
    stops.push(() => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
    // Environments left mid-way by a crash, and notebooks stopped by the last shutdown, converge now.
    await orchestrator.sweep({ includeReady: true });
    return { url: publicUrl, s3Url: store.endpoint, pool, orchestrator, stop, localAccountsFile: localAccountsFile(config.home) };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Gives each local person of the organisation a password of their own (written to the local
 * accounts file, for the operator) and an API token the CLI on this machine can read (`--as`).
 * An install from before, where all shared one demo password, gets individual ones now.
 */
async function ensureLocalTokens(pool: pg.Pool, config: PlatformConfig, org: Organisation): Promise<void> {
  const server = `http://${config.host}:${config.port}`;
  const creds = readCredentials(config.home) ?? { server, defaultUser: defaultLocalUser, tokens: {} };
  await ensureLocalAccounts(pool, org, localAccountsFile(config.home), { resetAll: Boolean(creds.demoPassword) });
  delete creds.demoPassword;
  creds.server = server;
  const people = new Set(org.users.map((u) => u.id));
  for (const id of Object.keys(creds.tokens)) if (!people.has(id)) delete creds.tokens[id];
  for (const id of people) {
    const token = creds.tokens[id];
    if (!token || !(await tokenIsValid(pool, token))) creds.tokens[id] = await issueToken(pool, id, 'cli');
  }
  if (!creds.tokens[creds.defaultUser]) creds.defaultUser = org.users[0]?.id ?? defaultLocalUser;
  writeCredentials(config.home, creds);
}
