import { fileURLToPath } from 'node:url';
import { PolicyEngine } from '../../src/engine/policy/engine.ts';
import { guardFor } from '../../src/engine/policy/guard.ts';
import type { User } from '../../src/engine/identity/users.ts';

/** The shipped policies, as the platform loads them (no organisation folder). */
export const shippedPoliciesDir = fileURLToPath(new URL('../../policies/', import.meta.url));

let shipped: PolicyEngine | undefined;
export const shippedPolicies = (): PolicyEngine => (shipped ??= PolicyEngine.load([shippedPoliciesDir], { log: () => {} }));

/** A user acting under the shipped policies, as engine operations take them. */
export const actorFor = (user: User) => ({ user, may: guardFor(shippedPolicies(), user) });
