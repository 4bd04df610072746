import { z } from 'zod';
import type { ResourceTypes } from '../resource/driver-contract.ts';
import { ResourceSpec, type ExtensionRules, type GoldenPath } from './schema.ts';

/**
 * An extension: what a developer adds to a software golden path for their service, in a
 * `goldpath.yaml` at the top of their repository or a file given to `goldpath launch --extend`.
 * The path's rules (`spec.extensible`) say what may be added; `checkExtension` refuses the rest,
 * naming the rule, and `mergeExtension` gives the path that is launched.
 */

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, starting with a letter (max 63)');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name: letters, digits and _, not starting with a digit');

export const Extension = z.strictObject({
  apiVersion: z.literal('goldpath.dev/v1', { error: 'must be "goldpath.dev/v1"' }).optional(),
  kind: z.literal('Extension', { error: 'must be "Extension"' }).optional(),
  /** New resources, written as in a golden path; `${resources.<id>.<output>}` may name the path's resources and these. */
  resources: z.record(identifier, ResourceSpec).default({}),
  /** Variables added to a resource's `env` param, by resource id, e.g. `service: { REDIS_URL: ${resources.cache.url} }`. */
  env: z.record(identifier, z.record(envName, z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or true/false' }))).default({}),
  /** New values for the path's parameters, held to the parameters' JSON Schema at launch. */
  parameters: z.record(z.string(), z.unknown()).default({}),
});
export type Extension = z.infer<typeof Extension>;

/** Nothing added, nothing set: what an environment launched without an extension has. */
export const isEmptyExtension = (e: Extension): boolean =>
  Object.keys(e.resources).length === 0 && Object.keys(e.env).length === 0 && Object.keys(e.parameters).length === 0;

/** One refusal: the field of the extension it is about (for its line) and a message naming the rule. */
export interface ExtensionProblem {
  field: (string | number)[];
  message: string;
}

const allowedTypes = (rules: ExtensionRules): string =>
  Object.entries(rules.resources).map(([type, r]) => `${type} (max ${r.max})`).join(', ') || 'no resources';

/** Why a locked path takes no extension, in the words the issue and the docs use. */
export function lockedMessage(path: GoldenPath): string {
  const name = path.metadata.name;
  return path.metadata.audience === 'data'
    ? `${name} is locked (extensible: false): data golden paths are not extended`
    : `${name} is locked (extensible: false): its owner allows no extensions`;
}

/**
 * Checks an extension against the path's rules and the drivers' declared params. Placeholders are
 * checked by the caller against the merged path (see src/engine/paths/extension.ts), with lines.
 */
export function checkExtension(path: GoldenPath, ext: Extension, types: ResourceTypes): ExtensionProblem[] {
  const name = path.metadata.name;
  const rules = path.spec.extensionRules ?? null;
  if (!rules) return [{ field: [], message: lockedMessage(path) }];
  const problems: ExtensionProblem[] = [];
  const own = path.spec.resources;

  const counts = new Map<string, string[]>();
  for (const [id, r] of Object.entries(ext.resources)) {
    const field = ['resources', id];
    if (own[id]) {
      problems.push({ field, message: `resource "${id}" is already part of ${name} (a ${own[id].type}); give the new resource another name` });
      continue;
    }
    const rule = rules.resources[r.type];
    if (!rule) {
      problems.push({ field: [...field, 'type'], message: `resource "${id}" of type ${r.type} is not allowed by ${name}: it allows ${allowedTypes(rules)}` });
      continue;
    }
    counts.set(r.type, [...(counts.get(r.type) ?? []), id]);
    const declared = types.get(r.type);
    if (!declared) {
      problems.push({ field: [...field, 'type'], message: `resource "${id}": this platform has no driver for ${r.type}; ask the platform team` });
      continue;
    }
    const takes = Object.keys(declared.params.properties ?? {});
    if (declared.params.additionalProperties === false) {
      for (const p of Object.keys(r.params).filter((n) => !takes.includes(n))) {
        problems.push({ field: [...field, 'params', p], message: `the ${r.type} driver takes no param "${p}"; it takes ${takes.map((t) => `"${t}"`).join(', ') || 'no params'}` });
      }
    }
  }
  for (const [type, ids] of counts) {
    const max = rules.resources[type].max;
    if (ids.length > max) {
      problems.push({
        field: ['resources', ids[max]],
        message: `${ids.length} resources of type ${type} (${ids.join(', ')}), but ${name} allows at most ${max} (extensible.resources.${type}.max)`,
      });
    }
  }

  for (const [id, vars] of Object.entries(ext.env)) {
    const field = ['env', id];
    const target = own[id];
    if (!rules.env.includes(id)) {
      const where = rules.env.length ? `only to ${rules.env.join(', ')}` : 'to no resource';
      problems.push({ field, message: `${name} lets you add environment variables ${where} (extensible.env), not to "${id}"` });
      continue;
    }
    if (!target) {
      problems.push({ field, message: `${name} has no resource "${id}"` });
      continue;
    }
    const declared = types.get(target.type);
    if (declared && !Object.keys(declared.params.properties ?? {}).includes('env')) {
      problems.push({ field, message: `resource "${id}" (${target.type}) takes no environment variables` });
      continue;
    }
    const set = (target.params.env ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(vars).filter((k) => k in set)) {
      problems.push({ field: [...field, key], message: `${id}'s ${key} is set by ${name} and cannot be replaced; add a variable of another name` });
    }
  }

  const known = Object.keys(path.spec.parameters.properties ?? {});
  for (const p of Object.keys(ext.parameters)) {
    if (!known.includes(p)) {
      problems.push({ field: ['parameters', p], message: `${name} has no parameter "${p}"; its parameters are ${known.join(', ') || 'none'}` });
    } else if (!rules.parameters.includes(p)) {
      problems.push({ field: ['parameters', p], message: `parameter "${p}" may not be overridden: ${name} allows ${rules.parameters.join(', ') || 'none'} (extensible.parameters)` });
    }
  }
  return problems;
}

/**
 * The path as launched with the extension: its resources added, its variables added to the
 * resources' env. Parameters are not part of the path; the caller merges them into the launch's.
 */
export function mergeExtension(path: GoldenPath, ext: Extension): GoldenPath {
  const resources = structuredClone(path.spec.resources);
  for (const [id, vars] of Object.entries(ext.env)) {
    const r = resources[id];
    if (r) r.params = { ...r.params, env: { ...((r.params.env ?? {}) as Record<string, unknown>), ...vars } };
  }
  for (const [id, r] of Object.entries(ext.resources)) resources[id] = structuredClone(r);
  return { ...path, spec: { ...path.spec, resources } };
}

/** The extension an environment runs with, as recorded on it: what was added and where it came from. */
export const ExtensionRecord = z.object({
  resources: z.record(z.string(), ResourceSpec),
  env: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  parameters: z.record(z.string(), z.unknown()),
  /** `launch`: given with the launch (--extend, the API); `repository`: the goldpath.yaml pushed to main. */
  from: z.enum(['launch', 'repository']),
  /** The commit the repository's goldpath.yaml was read at. */
  commit: z.string().optional(),
});
export type ExtensionRecord = z.infer<typeof ExtensionRecord>;

export const extensionRecord = (e: Extension, from: ExtensionRecord['from'], commit?: string): ExtensionRecord =>
  ({ resources: e.resources, env: e.env, parameters: e.parameters, from, ...(commit ? { commit } : {}) });
