import type { Context } from 'hono';
import type { Decision, PolicyAction, PolicyValue } from '../domain/policy/decision.ts';
import type { PolicyResource } from '../engine/policy/entities.ts';
import { guardFor, type Guard } from '../engine/policy/guard.ts';
import type { Env } from './openapi.ts';

/**
 * The one way a route handler decides whether the signed-in user may do something: the policy
 * engine answers, the decision is kept for the audit trail, and a denial is a 403 that names the policy.
 */
export function authorize(c: Context<Env>, action: PolicyAction, resource: PolicyResource, context?: Record<string, PolicyValue>): Decision {
  return guard(c)(action, resource, context);
}

/** The same, handed to engine operations that find out what a request is about as they go. */
export function guard(c: Context<Env>): Guard {
  return guardFor(c.get('policy'), c.get('user'), (d) => c.set('decision', d));
}
