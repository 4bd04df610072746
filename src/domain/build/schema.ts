import { z } from 'zod';

/** One build of a workspace's repository (a website preview, a service), as the API and the portal see it. */
export const BuildView = z.object({
  id: z.string(),
  environment: z.string(),
  resource: z.string(),
  commit: z.string().describe('the commit built (40 hex digits)'),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable().describe('the line of the log that says what went wrong'),
  log: z.string().describe('the build\'s output, capped; the environment\'s own secrets are masked'),
});
export type BuildView = z.infer<typeof BuildView>;

/** What a resource's status says of a failed build: which commit, and its first error line. */
export const buildFailureMessage = (commit: string, error: string | null): string =>
  `build failed at ${commit.slice(0, 12)}: ${error ?? 'see the build log'}`;
