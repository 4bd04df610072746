import { z } from 'zod';
import type { WorkspaceBuilderOptions } from '../../infrastructure/workspace-build/index.ts';

/** What a resource built from its repository on every push gives (a website preview, a service). */
export const builtResourceOutputs = (help: { url: string; commit: string }) => z.strictObject({
  url: z.string().describe(help.url),
  commit: z.string().describe(help.commit),
  buildStatus: z.enum(['succeeded', 'failed']).describe('how the last build ended'),
});

/** What such a driver needs: the builder's settings, and the platform's address for its stable URL. */
export interface BuiltResourceDriverOptions extends Omit<WorkspaceBuilderOptions, 'rebuildOnNewSettings'> {
  publicUrl: string;
}
