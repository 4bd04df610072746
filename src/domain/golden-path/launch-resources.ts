import { provisioningWaves, resourceNodes } from './graph.ts';
import { substitute } from './placeholders.ts';
import type { GoldenPath } from './schema.ts';

/** A resource as an environment records it at launch (or when an extension adds it). */
export interface LaunchResource {
  id: string;
  type: string;
  params: Record<string, unknown>;
  dependsOn: string[];
  /** Which provisioning wave it belongs to: all of a wave are made together, after the wave before. */
  wave: number;
}

/**
 * The path's resources in the order they are made, with `${path.*}` filled in (the path's folder
 * `dir`, name, version); every other placeholder waits until its resource is provisioned.
 */
export function launchResources(path: GoldenPath, dir: string): LaunchResource[] {
  const nodes = resourceNodes(path.spec.resources);
  const waveOf = new Map(provisioningWaves(nodes).flatMap((w, i) => w.map((rid) => [rid, i] as const)));
  const pathContext = { path: { dir, name: path.metadata.name, version: path.spec.version } };
  return nodes.map((node) => ({
    id: node.id,
    type: path.spec.resources[node.id].type,
    params: substitute(path.spec.resources[node.id].params, pathContext, { only: ['path'] }),
    dependsOn: node.dependsOn,
    wave: waveOf.get(node.id)!,
  }));
}
