import assert from 'node:assert/strict';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';

/** A resource's outputs (URLs, credentials) by its id, failing clearly when the environment has no such resource. */
export function outputsOf(env: EnvironmentView, id: string): Record<string, string> {
  const r = env.resources.find((x) => x.id === id);
  assert.ok(r, `resource ${id} in ${JSON.stringify(env.resources.map((x) => x.id))}`);
  return r.outputs as Record<string, string>;
}
