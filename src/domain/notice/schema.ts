import { z } from 'zod';

/** A notice as the API, CLI and portal see it. `break-glass` notices are shown in red everywhere. */
export const NoticeView = z.object({
  id: z.number(),
  at: z.string(),
  /** The user it is addressed to, or null when it is addressed to a team. */
  user: z.string().nullable(),
  team: z.string().nullable(),
  kind: z.string(),
  message: z.string(),
  environment: z.string().nullable(),
  /** The environment's name, so a notice says more than an id. */
  environmentName: z.string().nullable(),
  readAt: z.string().nullable(),
});
export type NoticeView = z.infer<typeof NoticeView>;

/** The kinds the platform itself sends; others (e.g. from the approvals) are free text. */
export const noticeKinds = {
  idleStopped: 'idle-stopped',
  expiryWarning: 'expiry-warning',
  expired: 'expired',
  breakGlass: 'break-glass',
  ready: 'environment-ready',
  failed: 'environment-failed',
  approvalRequested: 'approval-requested',
  approvalDecided: 'approval-decided',
} as const;
