import {
  environmentStatuses, DesiredState as DesiredStates,
  type DesiredState, type EnvironmentStatus, type ResourceStatus,
} from './lifecycle.ts';

/**
 * The environment lifecycle, in one place and without I/O: from what exists (the environment,
 * its resources, its data-access approvals) and the time, `plan` says which steps lead to what the
 * owner asked for. Reconcile (src/engine/orchestrator/reconcile.ts) carries the steps out, the
 * sweeper asks `needsWork`, and launch, stop, start, delete and approvals ask `requestDesired` and
 * `plan` before they write anything.
 */

export interface PlanEnvironment {
  status: EnvironmentStatus;
  desired: DesiredState;
  /** Why it failed, or (while still `provisioning`) why it is being rolled back. */
  reason: string | null;
}

export interface PlanResource {
  id: string;
  type: string;
  wave: number;
  status: ResourceStatus;
  error: string | null;
  /** Its driver can stop it (a process) while keeping the work; others stay as they are when stopped. */
  stoppable: boolean;
}

export interface PlanApproval {
  approverTeam: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  decidedBy: string | null;
  decisionReason: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** What was granted, once recorded. */
  granted: string | null;
}

export interface PlannedEvent {
  type: string;
  message: string;
}

export type Step =
  /** The environment's status (and reason) changes, recorded with its event. */
  | { kind: 'transition'; to: EnvironmentStatus; reason: string | null; event: PlannedEvent }
  /** Failures left from an earlier run start again from nothing. */
  | { kind: 'reset'; resources: string[] }
  /** One wave, in parallel; placeholders are filled from the ready resources' outputs. */
  | { kind: 'provision'; resources: string[] }
  | { kind: 'stop'; resources: string[] }
  /** One wave, last wave first. */
  | { kind: 'deprovision'; resources: string[] }
  /** Records on the approvals what the ready data grants are. */
  | { kind: 'record-grant'; resources: string[] }
  /** Granted access is revoked and pending requests are cancelled (delete, rollback, rejection, expiry). */
  | { kind: 'end-approvals'; event: PlannedEvent | null }
  /** Asks each running resource whether it answers; the ones that do not are provisioned again. */
  | { kind: 'check-health'; resources: string[] };

/** Resources that grant access to governed data: they go when the data owners' approval does. */
export const grantsData = (r: Pick<PlanResource, 'type'>): boolean => r.type === 'warehouse';

/** An approved request whose time is up and whose grant is still in place. */
export const approvalLapsed = (a: PlanApproval, now: Date): boolean =>
  a.status === 'approved' && a.revokedAt === null && a.expiresAt !== null && a.expiresAt.getTime() <= now.getTime();

/** The owners' approval is over (it lapsed, or its grant was already revoked): starting again would re-grant it. */
export const approvalEnded = (approvals: PlanApproval[], now: Date): boolean =>
  approvals.some((a) => approvalLapsed(a, now) || (a.status === 'approved' && a.revokedAt !== null));

/**
 * Where an environment rests until someone acts. Every other (status, desired) pair needs work;
 * the sweeper's query is built from `unsettledStates`, so it cannot drift from these rules.
 */
export function isSettled(status: EnvironmentStatus, desired: DesiredState): boolean {
  if (status === 'deleted') return true;
  if (desired === 'deleted' || status === 'deleting') return false;
  if (status === 'failed') return true;
  if (desired === 'stopped') return status === 'stopped';
  return status === 'ready' || status === 'awaiting-approval';
}

export const unsettledStates: { status: EnvironmentStatus; desired: DesiredState }[] = environmentStatuses.flatMap((status) =>
  DesiredStates.options.filter((desired) => !isSettled(status, desired)).map((desired) => ({ status, desired })));

const to = (status: EnvironmentStatus, reason: string | null = null, event?: PlannedEvent): Step => ({
  kind: 'transition', to: status, reason,
  event: event ?? { type: `environment.${status}`, message: reason ? `${status}: ${reason}` : `environment is ${status}` },
});

const waves = (resources: PlanResource[], order: 'up' | 'down'): PlanResource[][] => {
  const numbers = [...new Set(resources.map((r) => r.wave))].sort((a, b) => (order === 'up' ? a - b : b - a));
  return numbers.map((w) => resources.filter((r) => r.wave === w));
};

const ids = (rs: PlanResource[]) => rs.map((r) => r.id);

/** Requests still open: granted access not yet revoked, or waiting for a decision. */
const openApprovals = (approvals: PlanApproval[]) => approvals.some((a) => a.status === 'pending' || (a.status === 'approved' && a.revokedAt === null));
const endApprovals = (approvals: PlanApproval[]): Step[] => (openApprovals(approvals) ? [{ kind: 'end-approvals', event: null }] : []);

/** Everything removed, last wave first; the environment's row and events stay. */
function teardown(resources: PlanResource[]): Step[] {
  return waves(resources.filter((r) => r.status !== 'deleted'), 'down').map((w) => ({ kind: 'deprovision', resources: ids(w) }));
}

/** What a failed provisioning leaves as its reason: each failed resource and why. */
const failureReason = (resources: PlanResource[]) =>
  `could not provision ${resources.filter((r) => r.error !== null).map((r) => `${r.id}: ${r.error}`).join('; ') || 'a resource'}`;

/** A lapsed grant goes; the rest of the environment stays. */
function revokeLapsed(resources: PlanResource[], approvals: PlanApproval[], now: Date): Step[] {
  if (!approvals.some((a) => approvalLapsed(a, now))) return [];
  const grants = resources.filter((r) => grantsData(r) && r.status !== 'deleted');
  return [
    ...waves(grants, 'down').map((w): Step => ({ kind: 'deprovision', resources: ids(w) })),
    { kind: 'end-approvals', event: { type: 'approval.expired', message: 'the data owners\' approval expired: warehouse access revoked (launch again to ask anew)' } },
  ];
}

function provisioning(resources: PlanResource[], approvals: PlanApproval[]): Step[] {
  const todo = waves(resources.filter((r) => r.status !== 'ready'), 'up').map((w): Step => ({ kind: 'provision', resources: ids(w) }));
  const grants = resources.filter(grantsData);
  const unrecorded = grants.length > 0 && approvals.some((a) => a.status === 'approved' && a.revokedAt === null && a.granted === null);
  return [...todo, ...(unrecorded ? [{ kind: 'record-grant', resources: ids(grants) } as Step] : []), to('ready')];
}

/**
 * The steps from here to what the owner asked for, in order, assuming each succeeds. Reconcile
 * takes the first, then plans again from what it finds, so a failure or a crash between steps
 * only changes the next plan.
 */
export function plan(environment: PlanEnvironment, resources: PlanResource[], approvals: PlanApproval[], now: Date): Step[] {
  const { status, desired } = environment;
  if (status === 'deleted') return [];

  // A delete wins over everything, and once begun it is finished whatever is asked later.
  if (desired === 'deleted' || status === 'deleting') {
    return [...(status === 'deleting' ? [] : [to('deleting')]), ...teardown(resources), ...endApprovals(approvals), to('deleted')];
  }
  if (status === 'failed') return [];

  // A provisioning that failed is rolled back before anything else: nothing half-made stays.
  const failed = resources.filter((r) => r.status === 'failed');
  if (status === 'provisioning' && (environment.reason !== null || failed.length > 0)) {
    const reason = environment.reason ?? failureReason(resources);
    return [
      ...(environment.reason === null ? [to('provisioning', reason, { type: 'environment.rollback', message: 'rolling back what this launch made' })] : []),
      ...teardown(resources),
      ...endApprovals(approvals),
      to('failed', reason),
    ];
  }

  if (status === 'awaiting-approval') {
    const rejected = approvals.find((a) => a.status === 'rejected');
    if (rejected) {
      return [
        ...endApprovals(approvals),
        to('failed', `access rejected by ${rejected.decidedBy}: ${rejected.decisionReason}`,
          { type: 'environment.failed', message: `failed: access rejected by ${rejected.decidedBy}; nothing was provisioned` }),
      ];
    }
    if (desired === 'stopped') return [to('stopping'), to('stopped')];
    if (approvals.length === 0 || !approvals.every((a) => a.status === 'approved')) return [];
    return [to('requested', null, { type: 'environment.requested', message: 'every data owner approved; provisioning' }), to('provisioning'), ...provisioning(resources, approvals)];
  }

  if (desired === 'stopped') {
    if (status === 'stopped') return revokeLapsed(resources, approvals, now);
    const running = resources.filter((r) => r.stoppable && (r.status === 'ready' || r.status === 'provisioning'));
    return [
      ...(status === 'stopping' ? [] : [to('stopping')]),
      ...(running.length ? [{ kind: 'stop', resources: ids(running) } as Step] : []),
      to('stopped'),
    ];
  }

  // desired === 'ready'
  switch (status) {
    case 'ready': {
      // What an extension added (or changed) to a running environment is provisioned in its waves
      // while the environment stays ready: a failure stays on that resource, nothing is rolled back.
      const pending = resources.filter((r) => r.status === 'pending');
      if (pending.length) return waves(pending, 'up').map((w): Step => ({ kind: 'provision', resources: ids(w) }));
      return [
        ...revokeLapsed(resources, approvals, now),
        { kind: 'check-health', resources: ids(resources.filter((r) => r.status !== 'deleted' && r.status !== 'stopped' && !(grantsData(r) && approvalEnded(approvals, now)))) },
      ];
    }
    case 'stopping':
    case 'stopped':
      return [to('requested'), to('provisioning'), ...provisioning(resources, approvals)];
    case 'requested':
      return [...(failed.length ? [{ kind: 'reset', resources: ids(failed) } as Step] : []), to('provisioning'), ...provisioning(resources, approvals)];
    case 'provisioning':
      return provisioning(resources, approvals);
  }
}

/** Work other than the routine health check of a ready environment. */
export const needsWork = (steps: Step[]): boolean => steps.some((s) => s.kind !== 'check-health');

export type DesiredChange =
  | { kind: 'unchanged' }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'change'; desired: DesiredState; status: EnvironmentStatus; event: string };

/**
 * What an owner's stop, start or delete does to the environment: nothing (asked already),
 * a refusal that says why, or the new desired state (and status) for reconcile to carry out.
 */
export function requestDesired(id: string, environment: PlanEnvironment, approvals: PlanApproval[], want: DesiredState, now: Date): DesiredChange {
  const { status, desired } = environment;
  if (desired === 'deleted' || (desired === want && status !== 'failed')) return { kind: 'unchanged' };
  const event = `environment.${want === 'ready' ? 'start' : want === 'stopped' ? 'stop' : 'delete'}-requested`;
  if (want === 'deleted') return { kind: 'change', desired: want, status, event };
  if (want === 'stopped') {
    if (status !== 'ready' && status !== 'provisioning' && status !== 'requested') {
      return { kind: 'refused', code: 'cannot_stop', message: `environment ${id} is ${status}; only a ready or launching environment can be stopped` };
    }
    return { kind: 'change', desired: want, status, event };
  }
  if (status !== 'stopped' && status !== 'stopping') {
    return { kind: 'refused', code: 'cannot_start', message: `environment ${id} is ${status}; only a stopped environment can be started` };
  }
  if (approvalEnded(approvals, now)) {
    return { kind: 'refused', code: 'approval_expired', message: `the data owners' approval for environment ${id} has ended; launch again with --reason to ask anew` };
  }
  return { kind: 'change', desired: want, status: 'requested', event };
}
