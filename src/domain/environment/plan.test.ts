import { test } from 'node:test';
import assert from 'node:assert/strict';
import { environmentStatuses, DesiredState, type EnvironmentStatus, type ResourceStatus } from './lifecycle.ts';
import {
  isSettled, needsWork, plan, requestDesired, unsettledStates,
  type PlanApproval, type PlanEnvironment, type PlanResource, type Step,
} from './plan.ts';

const now = new Date('2026-06-01T12:00:00Z');
const later = new Date('2026-07-01T12:00:00Z');
const earlier = new Date('2026-05-01T12:00:00Z');

/** repo and warehouse first, then the bucket, then the notebook (the only one that can stop). */
function resources(status: Partial<Record<string, ResourceStatus>> = {}, errors: Record<string, string> = {}): PlanResource[] {
  const r = (id: string, type: string, wave: number, stoppable = false): PlanResource =>
    ({ id, type, wave, status: status[id] ?? 'pending', error: errors[id] ?? null, stoppable });
  return [r('repo', 'git-repo', 0), r('warehouse', 'warehouse', 0), r('bucket', 'bucket', 1), r('notebook', 'notebook', 2, true)];
}
const all = (s: ResourceStatus) => resources({ repo: s, warehouse: s, bucket: s, notebook: s });
const env = (status: EnvironmentStatus, desired: PlanEnvironment['desired'] = 'ready', reason: string | null = null): PlanEnvironment => ({ status, desired, reason });
const approval = (status: PlanApproval['status'], extra: Partial<PlanApproval> = {}): PlanApproval =>
  ({ approverTeam: 'payments', status, decidedBy: status === 'pending' ? null : 'mei', decisionReason: status === 'pending' ? null : 'ok', expiresAt: null, revokedAt: null, granted: null, ...extra });

const t = (to: EnvironmentStatus, reason: string | null = null, type = `environment.${to}`, message = reason ? `${to}: ${reason}` : `environment is ${to}`): Step =>
  ({ kind: 'transition', to, reason, event: { type, message } });
const provisionAll: Step[] = [
  { kind: 'provision', resources: ['repo', 'warehouse'] }, { kind: 'provision', resources: ['bucket'] }, { kind: 'provision', resources: ['notebook'] },
];
const teardownAll: Step[] = [
  { kind: 'deprovision', resources: ['notebook'] }, { kind: 'deprovision', resources: ['bucket'] }, { kind: 'deprovision', resources: ['repo', 'warehouse'] },
];
const expired: Step = { kind: 'end-approvals', event: { type: 'approval.expired', message: 'the data owners\' approval expired: warehouse access revoked (launch again to ask anew)' } };
const rollbackReason = 'could not provision bucket: quota exceeded';

const cases: { name: string; env: PlanEnvironment; resources: PlanResource[]; approvals?: PlanApproval[]; steps: Step[] }[] = [
  { name: 'launch: a requested environment is provisioned wave by wave, then ready',
    env: env('requested'), resources: all('pending'), steps: [t('provisioning'), ...provisionAll, t('ready')] },
  { name: 'extended while ready: what the extension added or changed is provisioned in its waves, and the environment stays ready',
    env: env('ready'), resources: resources({ repo: 'ready', warehouse: 'ready', bucket: 'pending', notebook: 'pending' }),
    steps: [{ kind: 'provision', resources: ['bucket'] }, { kind: 'provision', resources: ['notebook'] }] },
  { name: 'launch resumed after a crash: only what is not ready yet',
    env: env('provisioning'), resources: resources({ repo: 'ready', warehouse: 'provisioning' }),
    steps: [{ kind: 'provision', resources: ['warehouse'] }, { kind: 'provision', resources: ['bucket'] }, { kind: 'provision', resources: ['notebook'] }, t('ready')] },
  { name: 'launch: failures left from an earlier run start again from nothing',
    env: env('requested'), resources: resources({ repo: 'ready', warehouse: 'ready', bucket: 'ready', notebook: 'failed' }),
    steps: [{ kind: 'reset', resources: ['notebook'] }, t('provisioning'), { kind: 'provision', resources: ['notebook'] }, t('ready')] },
  { name: 'approval: waits while any owner has not decided',
    env: env('awaiting-approval'), resources: all('pending'), approvals: [approval('approved', { expiresAt: later }), approval('pending')], steps: [] },
  { name: 'approval: every owner approved, provisioning starts and the grant is recorded',
    env: env('awaiting-approval'), resources: all('pending'), approvals: [approval('approved', { expiresAt: later }), approval('approved', { expiresAt: later })],
    steps: [t('requested', null, 'environment.requested', 'every data owner approved; provisioning'), t('provisioning'), ...provisionAll,
      { kind: 'record-grant', resources: ['warehouse'] }, t('ready')] },
  { name: 'rejection: one rejection ends the launch with nothing made',
    env: env('awaiting-approval'), resources: all('pending'), approvals: [approval('approved', { expiresAt: later }), approval('rejected')],
    steps: [{ kind: 'end-approvals', event: null },
      t('failed', 'access rejected by mei: ok', 'environment.failed', 'failed: access rejected by mei; nothing was provisioned')] },
  { name: 'expiry: a lapsed approval takes the warehouse grant away and keeps the rest',
    env: env('ready'), resources: all('ready'), approvals: [approval('approved', { expiresAt: earlier })],
    steps: [{ kind: 'deprovision', resources: ['warehouse'] }, expired, { kind: 'check-health', resources: ['repo', 'bucket', 'notebook'] }] },
  { name: 'expiry: a stopped environment loses its grant too',
    env: env('stopped', 'stopped'), resources: resources({ repo: 'ready', warehouse: 'ready', bucket: 'ready', notebook: 'stopped' }), approvals: [approval('approved', { expiresAt: earlier })],
    steps: [{ kind: 'deprovision', resources: ['warehouse'] }, expired] },
  { name: 'expiry: an approval still valid changes nothing',
    env: env('ready'), resources: all('ready'), approvals: [approval('approved', { expiresAt: later })],
    steps: [{ kind: 'check-health', resources: ['repo', 'warehouse', 'bucket', 'notebook'] }] },
  { name: 'ready: only the routine health check, stopped and deleted parts left alone',
    env: env('ready'), resources: resources({ repo: 'ready', warehouse: 'deleted', bucket: 'failed', notebook: 'ready' }),
    steps: [{ kind: 'check-health', resources: ['repo', 'bucket', 'notebook'] }] },
  { name: 'stop: what can stop stops, the rest is kept',
    env: env('ready', 'stopped'), resources: all('ready'), steps: [t('stopping'), { kind: 'stop', resources: ['notebook'] }, t('stopped')] },
  { name: 'stop during a launch: nothing runs yet, so it is simply stopped',
    env: env('requested', 'stopped'), resources: all('pending'), steps: [t('stopping'), t('stopped')] },
  { name: 'stop resumed after a crash',
    env: env('stopping', 'stopped'), resources: resources({ repo: 'ready', warehouse: 'ready', bucket: 'ready', notebook: 'stopped' }), steps: [t('stopped')] },
  { name: 'start: the stopped parts are provisioned again',
    env: env('requested'), resources: resources({ repo: 'ready', warehouse: 'ready', bucket: 'ready', notebook: 'stopped' }),
    steps: [t('provisioning'), { kind: 'provision', resources: ['notebook'] }, t('ready')] },
  { name: 'delete: everything goes, last wave first, and approvals end',
    env: env('ready', 'deleted'), resources: all('ready'), steps: [t('deleting'), ...teardownAll, t('deleted')] },
  { name: 'delete of a governed environment ends its approvals',
    env: env('ready', 'deleted'), resources: all('ready'), approvals: [approval('approved', { expiresAt: later, granted: 'u (sensitive)' })],
    steps: [t('deleting'), ...teardownAll, { kind: 'end-approvals', event: null }, t('deleted')] },
  { name: 'delete during a launch: what was made goes, what was not is skipped',
    env: env('provisioning', 'deleted'), resources: resources({ repo: 'ready', warehouse: 'ready' }),
    steps: [t('deleting'), ...teardownAll, t('deleted')] },
  { name: 'delete of a failed environment',
    env: env('failed', 'deleted', rollbackReason), resources: all('deleted'), steps: [t('deleting'), t('deleted')] },
  { name: 'partial teardown: a delete cut short goes on with what is left',
    env: env('deleting', 'deleted'), resources: resources({ repo: 'deprovisioning', warehouse: 'deleted', bucket: 'deleted', notebook: 'deleted' }),
    steps: [{ kind: 'deprovision', resources: ['repo'] }, t('deleted')] },
  { name: 'a deletion once begun is finished even if desired says ready',
    env: env('deleting', 'ready'), resources: resources({ repo: 'ready' }),
    steps: [{ kind: 'deprovision', resources: ['notebook'] }, { kind: 'deprovision', resources: ['bucket'] }, { kind: 'deprovision', resources: ['repo', 'warehouse'] }, t('deleted')] },
  { name: 'failure: a failed resource starts the rollback, with the reason',
    env: env('provisioning'), resources: resources({ repo: 'ready', warehouse: 'ready', bucket: 'failed' }, { bucket: 'quota exceeded' }),
    steps: [t('provisioning', rollbackReason, 'environment.rollback', 'rolling back what this launch made'), ...teardownAll, t('failed', rollbackReason)] },
  { name: 'rollback resumed after a crash: what is left goes, then failed',
    env: env('provisioning', 'ready', rollbackReason), resources: resources({ repo: 'ready', warehouse: 'deleted', bucket: 'deleted', notebook: 'deleted' }, { bucket: 'quota exceeded' }),
    steps: [{ kind: 'deprovision', resources: ['repo'] }, t('failed', rollbackReason)] },
  { name: 'rollback goes on even when a stop was asked meanwhile',
    env: env('provisioning', 'stopped'), resources: resources({ repo: 'ready', bucket: 'failed' }, { bucket: 'quota exceeded' }),
    steps: [t('provisioning', rollbackReason, 'environment.rollback', 'rolling back what this launch made'), ...teardownAll, t('failed', rollbackReason)] },
  { name: 'failed and deleted environments rest',
    env: env('failed', 'ready', 'x'), resources: all('deleted'), steps: [] },
  { name: 'deleted rests whatever is asked',
    env: env('deleted', 'deleted'), resources: all('deleted'), steps: [] },
];

for (const c of cases) {
  test(`plan — ${c.name}`, () => {
    assert.deepEqual(plan(c.env, c.resources, c.approvals ?? [], now), c.steps);
  });
}

test('every (status, desired) pair the sweeper looks for has work in its plan, and every settled one has none', () => {
  for (const status of environmentStatuses) {
    for (const desired of DesiredState.options) {
      const steps = plan(env(status, desired), all(status === 'ready' ? 'ready' : 'pending'), [], now);
      const listed = unsettledStates.some((s) => s.status === status && s.desired === desired);
      assert.equal(listed, !isSettled(status, desired));
      assert.equal(needsWork(steps), listed, `${status}/${desired}: ${JSON.stringify(steps)}`);
    }
  }
});

test('owners may stop what runs or launches, start what is stopped, and delete anything, once', () => {
  const id = 'eabc123def';
  assert.deepEqual(requestDesired(id, env('ready'), [], 'stopped', now), { kind: 'change', desired: 'stopped', status: 'ready', event: 'environment.stop-requested' });
  assert.deepEqual(requestDesired(id, env('stopped', 'stopped'), [], 'ready', now), { kind: 'change', desired: 'ready', status: 'requested', event: 'environment.start-requested' });
  assert.deepEqual(requestDesired(id, env('ready'), [], 'ready', now), { kind: 'unchanged' });
  assert.deepEqual(requestDesired(id, env('ready', 'deleted'), [], 'stopped', now), { kind: 'unchanged' });
  assert.deepEqual(requestDesired(id, env('failed'), [], 'deleted', now), { kind: 'change', desired: 'deleted', status: 'failed', event: 'environment.delete-requested' });
  assert.equal((requestDesired(id, env('awaiting-approval'), [], 'stopped', now) as { code: string }).code, 'cannot_stop');
  assert.equal((requestDesired(id, env('failed'), [], 'ready', now) as { code: string }).code, 'cannot_start');
  const lapsed = [approval('approved', { expiresAt: earlier, revokedAt: earlier })];
  assert.equal((requestDesired(id, env('stopped', 'stopped'), lapsed, 'ready', now) as { code: string }).code, 'approval_expired', 'starting would grant the data again');
});
