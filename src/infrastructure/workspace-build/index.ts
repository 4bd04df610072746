export { buildCommit, defaultBuildLimits, firstErrorLine, redactValues, type BuildJournal, type BuildOutcome, type BuildSpec, type BuildStatus } from './build.ts';
export { BuildQueue, type Queued } from './build-queue.ts';
export { branchCommit, exportCommit, letThrough } from './source.ts';
export { publishOutput, PublishError, type PublishLimits } from './publish.ts';
export { runToEnd, workspaceCommand, workspaceEnv, type RunLimits, type RunResult, type WorkspaceProcessSpec } from './sandboxed-process.ts';
export { commandLine, isAlive, stopTree } from '../processes/index.ts';
export { workspaceBuilder, type Accept, type BuildConfig, type LastBuild, type WorkspaceBuilder, type WorkspaceBuilderOptions } from './workspace-builder.ts';
