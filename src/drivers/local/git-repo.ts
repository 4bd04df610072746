import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { renderTemplate } from '../../domain/golden-path/template.ts';
import { createBareRepo, removeRepo, repoExists } from '../../infrastructure/git-http/index.ts';
import { z } from 'zod';
import { defineDriver, PermanentDriverError, type Driver } from '../driver.ts';
import { newPassword } from './secrets.ts';

export interface GitRepoDriverOptions {
  reposDir: string;
  /** The platform's public base URL, e.g. http://127.0.0.1:7300; repos are served under /git/. */
  publicUrl: string;
}

export const gitRepoParams = z.strictObject({
  skeleton: z.string().min(1).optional().describe('a folder whose files, rendered with the launch values, are the first commit'),
});

export const gitRepoOutputs = z.strictObject({
  url: z.string().describe('the http clone URL with credentials: `git clone URL` just works'),
  cloneUrl: z.string().describe('the clone URL without credentials'),
  name: z.string().describe('the repository name, unique on the platform'),
  username: z.string(),
  password: z.string(),
});

/** What a git-repo resource takes and gives on this target; the path loader checks paths against it. */
export const gitRepoDeclaration = { type: 'git-repo', target: 'local', params: gitRepoParams, outputs: gitRepoOutputs };

/** A bare repository seeded from the path's skeleton, served over git's smart HTTP by the platform. */
export function gitRepoDriver(opts: GitRepoDriverOptions): Driver {
  return defineDriver({
    ...gitRepoDeclaration,
    async provision({ environmentId, resourceId, params, state, environment }) {
      const name = `${environmentId}-${resourceId}`;
      const files: Record<string, string> = {};
      if (params.skeleton !== undefined) {
        const context = { params: environment.params, environment };
        for (const file of await listFiles(params.skeleton)) {
          const rel = relative(params.skeleton, file);
          files[rel] = renderTemplate(await readFile(file, 'utf8'), context, { json: /\.(ipynb|json)$/.test(rel) });
        }
      }
      await createBareRepo(opts.reposDir, name, files);
      const username = environmentId;
      const password = typeof state.password === 'string' ? state.password : newPassword();
      const base = new URL(opts.publicUrl);
      const cloneUrl = `${base.origin}/git/${name}.git`;
      return {
        state: { repo: name, username, password },
        outputs: {
          url: `${base.protocol}//${username}:${password}@${base.host}/git/${name}.git`,
          cloneUrl,
          name,
          username,
          password,
        },
      };
    },
    async status({ state }) {
      const ok = typeof state.repo === 'string' && (await repoExists(opts.reposDir, state.repo));
      return ok ? { healthy: true } : { healthy: false, message: 'repository is missing' };
    },
    async deprovision({ environmentId, resourceId }) {
      await removeRepo(opts.reposDir, `${environmentId}-${resourceId}`);
    },
  });
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    throw new PermanentDriverError(`skeleton folder not found: ${dir}`);
  }
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}
