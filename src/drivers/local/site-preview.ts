import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { builtResourceOutputs, type BuiltResourceDriverOptions } from './built-resource.ts';
import { workspaceUrl } from '../../domain/resource/workspace-url.ts';
import { publishOutput, workspaceBuilder, type LastBuild } from '../../infrastructure/workspace-build/index.ts';
import { defineDriver, PermanentDriverError, type Driver, type ResourceRef } from '../driver.ts';

export const sitePreviewParams = z.strictObject({
  repo: z.string().min(1).describe('the repository whose pushes are built, e.g. ${resources.repo.name}'),
  branch: z.string().regex(/^[A-Za-z0-9._/-]+$/).default('main').describe('the branch that is previewed'),
  command: z.string().min(1).default('python3 build.py').describe('the build command, run by /bin/sh in the sandbox at the repository\'s root'),
  output: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/).refine((p) => !p.split('/').includes('..'), 'must stay inside the repository')
    .default('public').describe('the folder the build writes the site to'),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('variables the build sees'),
});

export const sitePreviewOutputs = builtResourceOutputs({
  url: 'the preview\'s stable URL, through the platform\'s front door',
  commit: 'the commit the preview serves (its last good build); empty before one',
});

/** What a site-preview resource takes and gives on this target; the path loader checks paths against it. */
export const sitePreviewDeclaration = { type: 'site-preview', target: 'local', params: sitePreviewParams, outputs: sitePreviewOutputs };

export type SitePreviewDriverOptions = BuiltResourceDriverOptions;

export interface SitePreviewDriver extends Driver {
  /** Builds the branch's newest commit (after a push); null when nothing was built for this call. */
  rebuild(ref: Pick<ResourceRef, 'environmentId' | 'resourceId'>): Promise<LastBuild | null>;
}

interface Current {
  commit: string;
  root: string;
}

/** A site is at most this large: a preview is pages and pictures, not a file store. */
const SITE_LIMITS = { maxBytes: 200 * 1024 * 1024, maxFiles: 20_000 };

/**
 * A website preview: every push to the branch is built in the workspace sandbox as the
 * environment's uid, and the built folder is published (regular files only) as the site the front
 * door serves at a stable URL. A failed build keeps the last good site. Under the resource's folder
 * (see workspace-builder.ts) it adds:
 *   sites/<commit>/  the published site, owned by the platform
 *   current.json     which one is served
 */
export function sitePreviewDriver(opts: SitePreviewDriverOptions): SitePreviewDriver {
  // New build variables or another command change what is built: the same commit is built again.
  const builder = workspaceBuilder({ ...opts, rebuildOnNewSettings: true });
  const readCurrent = async (e: string, r: string): Promise<Current | null> => {
    try {
      return JSON.parse(await readFile(join(builder.dirOf(e, r), 'current.json'), 'utf8')) as Current;
    } catch {
      return null;
    }
  };

  const accept = (e: string, r: string, output: string) => async (folder: string, commit: string) => {
    const sites = join(builder.dirOf(e, r), 'sites');
    const root = join(sites, commit);
    await mkdir(sites, { recursive: true, mode: 0o700 });
    await publishOutput(join(folder, output), root, SITE_LIMITS);
    const before = await readCurrent(e, r);
    await writeFile(join(builder.dirOf(e, r), 'current.json.tmp'), JSON.stringify({ commit, root }), { mode: 0o600 });
    await rename(join(builder.dirOf(e, r), 'current.json.tmp'), join(builder.dirOf(e, r), 'current.json'));
    // The site served before is gone once the new one is served (a request reading it now may end early).
    if (before && before.root !== root) await rm(before.root, { recursive: true, force: true });
    return null;
  };

  const outputsOf = async (e: string, r: string) => {
    const current = await readCurrent(e, r);
    const last = await builder.last(e, r);
    return {
      url: workspaceUrl(opts.publicUrl, e, r),
      commit: current?.commit ?? '',
      buildStatus: last?.status === 'succeeded' && current ? 'succeeded' as const : 'failed' as const,
    };
  };

  const rebuild = async ({ environmentId: e, resourceId: r }: Pick<ResourceRef, 'environmentId' | 'resourceId'>) => {
    const output = (await builder.readConfig(e, r))?.settings.output ?? 'public';
    return builder.build(e, r, accept(e, r, output));
  };

  const driver = defineDriver({
    ...sitePreviewDeclaration,
    async provision({ environmentId: e, resourceId: r, params }) {
      if (params.output.split('/').includes('..')) throw new PermanentDriverError('param "output" must be a folder inside the repository');
      const env = Object.fromEntries(Object.entries(params.env ?? {}).map(([k, v]) => [k, String(v)]));
      await builder.saveConfig(e, r, { repo: params.repo, branch: params.branch, command: ['/bin/sh', '-c', params.command], env, settings: { output: params.output } });
      const uid = await builder.uidOf(e, r);
      // The first build, and one a platform stopped mid-way missed; the same commit is not built twice.
      await rebuild({ environmentId: e, resourceId: r });
      if (!(await builder.last(e, r))?.commit) throw new PermanentDriverError(`repository ${params.repo} has no branch ${params.branch} to build`);
      return { state: { repo: params.repo, branch: params.branch, ...(uid !== undefined ? { uid } : {}) }, outputs: await outputsOf(e, r) };
    },
    async status({ environmentId: e, resourceId: r }) {
      const last = await builder.last(e, r);
      if (!last) return { healthy: false, message: 'the preview has not been built' };
      const current = await readCurrent(e, r);
      if (last.status === 'failed') {
        const message = `build failed at ${last.commit.slice(0, 12)}: ${last.error ?? 'see the build log'}${current ? `; serving ${current.commit.slice(0, 12)}` : ''}`;
        // Building the same commit again would fail the same way: a failed build is no reason to repair.
        return { healthy: true, message };
      }
      return current ? { healthy: true } : { healthy: false, message: 'the built site is missing' };
    },
    async deprovision({ environmentId: e, resourceId: r }) {
      await builder.remove(e, r);
    },
    async upstream({ environmentId: e, resourceId: r }) {
      const current = await readCurrent(e, r);
      return current ? { kind: 'static' as const, root: current.root } : null;
    },
  });
  return Object.assign(driver, { rebuild });
}
