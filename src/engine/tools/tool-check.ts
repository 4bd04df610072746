import type { Decision, PolicyEntity } from '../../domain/policy/decision.ts';
import type { DecisionRequest } from '../policy/engine.ts';
import { pathEntity as policyPathEntity } from '../policy/entities.ts';
import type { CheckTools } from '../paths/library.ts';
import type { LoadedPath, PathFileError } from '../paths/loader.ts';
import { currentRegistry, toolProviding, type Registry, type ToolEntry } from './registry.ts';

/** Asks the policy engine whether a golden path may use a tool (action `useTool`). */
export type AskUseTool = (principal: PolicyEntity, resource: PolicyEntity, context: { distinctToolsInCategory: number }) => Decision;

export const toolEntity = (id: string, tool: ToolEntry): PolicyEntity => ({
  type: 'Tool', id, attrs: { licence: tool.licence, support: tool.support, category: tool.category },
});

const pathEntity = (p: LoadedPath): PolicyEntity => policyPathEntity({ id: p.path.metadata.name, dataClass: p.path.spec.dataClass ?? null });

interface ToolUse {
  id: string;
  tool: ToolEntry;
  /** The field that brings the tool in, for the error's line. */
  field: (string | number)[];
}

/**
 * Which tools each path starts (the registry tool providing each resource type it uses, plus the tools
 * it names in `spec.tools`), judged by policy. Paths are taken in turn and each one accepted adds its
 * tools to the organisation's count per category, so a cap refuses the path that would go over it,
 * not the ones already in use: paths in `keepFirst` (those loaded before a reload) are judged first.
 * A refused path is reported like any other path file error, with the line that brings the tool in.
 */
export function checkPathTools(
  loaded: LoadedPath[],
  registry: Registry,
  ask: AskUseTool,
  keepFirst: ReadonlySet<string> = new Set(),
): { paths: LoadedPath[]; errors: PathFileError[] } {
  const order = [...loaded].sort((a, b) => Number(!keepFirst.has(a.path.metadata.name)) - Number(!keepFirst.has(b.path.metadata.name)));
  const inUse = new Map<string, Set<string>>(); // category → tool ids of accepted paths
  const accepted = new Set<LoadedPath>();
  const errors: PathFileError[] = [];
  for (const p of order) {
    const file = p.source?.shown ?? p.file;
    const at = (field: (string | number)[], message: string) =>
      errors.push({ file, line: p.source?.line(field) ?? null, field: field.join('.'), message });
    const uses: ToolUse[] = [];
    let refused = false;
    for (const [rid, r] of Object.entries(p.path.spec.resources)) {
      const field = ['spec', 'resources', rid, 'type'];
      const provider = toolProviding(registry, r.type);
      if (!provider) {
        at(field, `no tool in the registry provides resource type "${r.type}"; add it to registry.yaml (in the policies folder) with its licence, support model and category`);
        refused = true;
      } else uses.push({ ...provider, field });
    }
    p.path.spec.tools.forEach((id, i) => {
      const tool = registry.tools[id];
      const field = ['spec', 'tools', i];
      if (!tool) {
        at(field, `tool "${id}" is not in the registry; add it to registry.yaml (in the policies folder) with its licence, support model and category, or use one of: ${Object.keys(registry.tools).join(', ')}`);
        refused = true;
      } else uses.push({ id, tool, field });
    });
    const distinct = new Map(uses.map((u) => [u.id, u]));
    for (const use of distinct.values()) {
      const category = new Set(inUse.get(use.tool.category));
      for (const u of distinct.values()) if (u.tool.category === use.tool.category) category.add(u.id);
      const decision = ask(pathEntity(p), toolEntity(use.id, use.tool), { distinctToolsInCategory: category.size });
      if (!decision.allowed) {
        const others = [...(inUse.get(use.tool.category) ?? [])];
        const inUseNote = others.length ? `; ${use.tool.category} tools other paths already use: ${others.join(', ')}` : '';
        at(use.field, `tool "${use.id}" (${use.tool.category}, support ${use.tool.support}) is refused: ${withPolicyIds(decision)}${inUseNote}`);
        refused = true;
      }
    }
    if (refused) continue;
    accepted.add(p);
    for (const u of distinct.values()) {
      if (!inUse.has(u.tool.category)) inUse.set(u.tool.category, new Set());
      inUse.get(u.tool.category)!.add(u.id);
    }
  }
  return { paths: loaded.filter((p) => accepted.has(p)), errors };
}

/** The decision's message, with the deciding policies' ids named if the message does not already. */
export function withPolicyIds(d: Decision): string {
  const missing = d.policies.filter((id) => !d.message.includes(id));
  return missing.length ? `${d.message} (policy ${missing.join(', ')})` : d.message;
}

/**
 * The path library's tool check on a running platform: the registry (registry.yaml of the policy
 * engine's folders) is read again when it changed, so an edit applies with the next reload, and each use
 * is asked of the policy engine. A registry that cannot be read throws with its lines: the platform
 * does not run paths ungoverned.
 */
export function toolCheckFor(engine: { dirs: readonly string[]; decide(req: DecisionRequest): Decision }): CheckTools {
  return (paths, loadedBefore) =>
    checkPathTools(paths, currentRegistry(engine.dirs), (principal, resource, context) =>
      engine.decide({ principal, action: 'useTool', resource, context }), loadedBefore);
}
