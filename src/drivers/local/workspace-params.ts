import { z } from 'zod';

/**
 * What a workspace opened on a clone of the environment's repository takes (the notebook, the
 * IDE): the repository, the clone's origin, and the variables its processes see.
 */
export const cloneWorkspaceParams = (envHelp: string) => z.strictObject({
  repo: z.string().describe('the repository to open, e.g. ${resources.repo.name}'),
  repoUrl: z.string().optional().describe('the clone\'s origin, e.g. ${resources.repo.url}: pushes go over HTTP with the environment\'s credentials'),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe(envHelp),
});
