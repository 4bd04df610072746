import { referencedResources } from './placeholders.ts';
import type { ResourceSpec } from './schema.ts';

export interface ResourceNode {
  id: string;
  dependsOn: string[];
}

export class GraphError extends Error {}

/** Explicit `dependsOn` plus every resource named by a placeholder. */
export function resourceNodes(resources: Record<string, ResourceSpec>): ResourceNode[] {
  return Object.entries(resources).map(([id, r]) => ({
    id,
    dependsOn: [...new Set([...r.dependsOn, ...referencedResources(r.params)])],
  }));
}

/**
 * Groups resources into waves: every resource of a wave depends only on earlier waves, so a
 * wave can be provisioned in parallel. Throws with the resource ids on an unknown dependency or a cycle.
 */
export function provisioningWaves(nodes: ResourceNode[]): string[][] {
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (d === n.id) throw new GraphError(`resource "${n.id}" depends on itself`);
      if (!ids.has(d)) throw new GraphError(`resource "${n.id}" depends on "${d}", which is not a resource of this path`);
    }
  }
  const done = new Set<string>();
  const waves: string[][] = [];
  while (done.size < nodes.length) {
    const wave = nodes.filter((n) => !done.has(n.id) && n.dependsOn.every((d) => done.has(d))).map((n) => n.id);
    if (wave.length === 0) {
      const stuck = nodes.filter((n) => !done.has(n.id)).map((n) => n.id);
      throw new GraphError(`resources ${stuck.map((s) => `"${s}"`).join(', ')} depend on each other in a cycle`);
    }
    wave.forEach((id) => done.add(id));
    waves.push(wave);
  }
  return waves;
}
