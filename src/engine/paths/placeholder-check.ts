import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { GoldenPath } from '../../domain/golden-path/schema.ts';
import { placeholdersIn, type PlaceholderRef } from '../../domain/golden-path/placeholders.ts';
import { resourceNodes } from '../../domain/golden-path/graph.ts';
import { outputNames, type ResourceTypes } from '../../domain/resource/driver-contract.ts';
import type { PathFileError } from './loader.ts';
import { lineOf } from './yaml-lines.ts';

/** The parsed file, so that each problem can be reported on its own line. */
export interface PathSource {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
}

/** What each placeholder scope offers besides resources (see the contexts built at launch and in reconcile). */
const environmentFields = ['id', 'name', 'team', 'owner', 'path', 'dataClass'];
const pathFields = ['dir', 'name', 'version'];
const scopes = ['resources', 'params', 'environment', 'path'];

/**
 * Checks every placeholder in every resource's params against what it can refer to: an output that
 * the referenced resource's driver declares, on a resource provisioned before this one; a parameter
 * of the path; a field of the environment or the path. A typo found here would otherwise surface
 * only at launch, after the resources before it were made and rolled back.
 */
export function checkPlaceholders(path: GoldenPath, types: ResourceTypes, src: PathSource): PathFileError[] {
  const explain = placeholderExplainer(path, types);
  const errors: PathFileError[] = [];
  for (const id of Object.keys(path.spec.resources)) {
    const params = src.doc.getIn(['spec', 'resources', id, 'params'], true);
    forEachString(params, (value, start, end) => {
      for (const ref of placeholdersIn(value)) {
        const problem = explain(id, ref);
        if (!problem) continue;
        // The placeholder's own line, also inside a multi-line block scalar.
        const at = src.text.slice(start, end).indexOf(ref.raw);
        errors.push({ file: src.file, line: src.lineCounter.linePos(start + Math.max(at, 0)).line, field: null, message: `${ref.raw}: ${problem}` });
      }
    });
  }
  return errors;
}

/**
 * Says what is wrong with one placeholder in the params of resource `self` of `path` (null when it
 * is fine): the path loader asks it for each placeholder of a path file, and the extension check
 * for each of an extension, against the path as merged with it.
 */
export function placeholderExplainer(path: GoldenPath, types: ResourceTypes): (self: string, ref: PlaceholderRef) => string | null {
  const resources = path.spec.resources;
  const ids = Object.keys(resources);
  const dependsOn = new Map(resourceNodes(resources).map((n) => [n.id, n.dependsOn]));
  const parameters = Object.keys(path.spec.parameters.properties ?? {});
  return (self, ref) => {
    const [first, second] = ref.path;
    switch (ref.scope) {
      case 'resources': {
        if (!first) return 'names no resource: write ${resources.<id>.<output>}';
        if (!ids.includes(first)) return `there is no resource ${first} in this path; its resources are ${ids.join(', ')}`;
        if (first === self) return `resource ${self} refers to its own output; it can use only outputs of resources provisioned before it`;
        if (reaches(dependsOn, first, self)) {
          return `resource ${first} is provisioned after ${self} (it depends on ${self}), so its outputs do not exist yet when ${self} is provisioned`;
        }
        const type = resources[first].type;
        const declared = types.get(type);
        if (!declared) return null; // the unknown type is reported on its own line
        const outputs = outputNames(declared);
        if (!second) return `names resource ${first} but no output; it has ${outputs.join(', ') || 'no outputs'}`;
        if (!outputs.includes(second)) return `resource ${first} (${type}) has no output ${second}; it has ${outputs.join(', ') || 'no outputs'}`;
        return null;
      }
      case 'params':
        if (!first || !parameters.includes(first)) {
          return `the path has no parameter ${first || '(none named)'}; its parameters are ${parameters.join(', ') || 'none (spec.parameters.properties is empty)'}`;
        }
        return null;
      case 'environment':
        return first && environmentFields.includes(first) ? null : `the environment has no field ${first || '(none named)'}; it has ${environmentFields.join(', ')}`;
      case 'path':
        return first && pathFields.includes(first) ? null : `the path has no field ${first || '(none named)'}; it has ${pathFields.join(', ')}`;
      default:
        return `unknown placeholder scope "${ref.scope}"; use ${scopes.map((s) => `\${${s}.…}`).join(', ')} (write $\${ for a literal \${)`;
    }
  };
}

/**
 * Checks the param names of each resource against its driver's declared params, so a typo such as
 * `skelton` is caught here. Values, and params that are required, are checked at launch (the engine
 * checks the substituted params against the driver's schema), once placeholders have values.
 */
export function checkResourceParams(path: GoldenPath, types: ResourceTypes, src: PathSource): PathFileError[] {
  const errors: PathFileError[] = [];
  for (const [id, r] of Object.entries(path.spec.resources)) {
    const declared = types.get(r.type);
    if (!declared) continue;
    const takes = Object.keys(declared.params.properties ?? {});
    const field = ['spec', 'resources', id, 'params'];
    if (declared.params.additionalProperties === false) {
      for (const name of Object.keys(r.params).filter((n) => !takes.includes(n))) {
        errors.push({
          file: src.file, line: lineOf(src.doc, src.lineCounter, [...field, name]), field: [...field, name].join('.'),
          message: `the ${r.type} driver takes no param "${name}"; it takes ${takes.map((t) => `"${t}"`).join(', ') || 'no params'}`,
        });
      }
    }
  }
  return errors;
}

/** Does `from` depend on `to`, directly or through other resources? */
function reaches(dependsOn: Map<string, string[]>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(dependsOn.get(id) ?? []));
  }
  return false;
}

/** Calls fn with every string value under a YAML node (exported for the extension check) and its source range (keys are not substituted, so they are skipped). */
export function forEachString(node: unknown, fn: (value: string, start: number, end: number) => void): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.range) fn(node.value, node.range[0], node.range[1]);
  } else if (isMap(node)) {
    for (const pair of node.items) forEachString(pair.value, fn);
  } else if (isSeq(node)) {
    for (const item of node.items) forEachString(item, fn);
  }
}
