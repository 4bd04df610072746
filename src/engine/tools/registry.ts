import { readFileSync, statSync } from 'node:fs';
import { formatFileError, governanceFileIn, parseYamlWithSchema, type FileError } from './yaml-schema.ts';
import { Registry, type ModelEntry, type ToolEntry } from './schema.ts';

export type { Registry, ToolEntry, ModelEntry };

export type RegistryError = FileError;
export const formatRegistryError = formatFileError;

/** Thrown at start when the registry cannot be read: the platform does not run ungoverned. */
export class RegistryFileError extends Error {
  readonly errors: RegistryError[];
  constructor(errors: RegistryError[]) {
    super(`the tool and model registry has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n${errors.map(formatRegistryError).join('\n')}`);
    this.errors = errors;
  }
}

export function parseRegistry(text: string, file: string): { registry: Registry } | { errors: RegistryError[] } {
  const parsed = parseYamlWithSchema(Registry, text, file);
  if ('errors' in parsed) return parsed;
  const registry = parsed.value;
  // One resource type, one tool: a path's use of a type must name exactly one tool for policy to judge.
  const providers = new Map<string, string>();
  const errors: RegistryError[] = [];
  for (const [id, tool] of Object.entries(registry.tools)) {
    tool.provides.forEach((type, i) => {
      const other = providers.get(type);
      if (other) {
        errors.push({ file, line: parsed.line(['tools', id, 'provides', i]), field: `tools.${id}.provides`, message: `resource type "${type}" is already provided by tool "${other}"; one tool per resource type` });
      } else providers.set(type, id);
    });
  }
  return errors.length ? { errors } : { registry };
}

export function loadRegistry(file: string): Registry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RegistryFileError([{ file, line: null, field: null, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); every tool a path starts and every model the gateway serves must be listed there` }]);
  }
  const result = parseRegistry(text, file);
  if ('errors' in result) throw new RegistryFileError(result.errors);
  return result.registry;
}

/** The registry of the policy folders: the last folder holding a registry.yaml wins (an organisation's replaces the shipped one). */
export const registryFileIn = (dirs: readonly string[]): string => governanceFileIn(dirs, 'registry.yaml');

const cache = new Map<string, { mtimeMs: number; size: number; registry: Registry }>();

/** The registry of the policy folders, read again only when the file changed (routes ask it on every request). */
export function currentRegistry(dirs: readonly string[]): Registry {
  const file = registryFileIn(dirs);
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return loadRegistry(file); // throws with the reason
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.registry;
  const registry = loadRegistry(file);
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, registry });
  return registry;
}

/** The registry tool that implements a resource type, if any. */
export function toolProviding(registry: Registry, resourceType: string): { id: string; tool: ToolEntry } | undefined {
  for (const [id, tool] of Object.entries(registry.tools)) if (tool.provides.includes(resourceType)) return { id, tool };
  return undefined;
}
