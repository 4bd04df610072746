export { asUser, detectSandbox, sandboxedCommand, WORKSPACE_HOME, type SandboxSupport, type SandboxSpec } from './bubblewrap.ts';
export { claimUid, releaseUid, releaseUidsOf, transferUid, WORKSPACE_UID_BASE } from './uid-pool.ts';
export { handOver } from './ownership.ts';
