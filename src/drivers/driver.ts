/**
 * The driver contract lives in the domain (src/domain/resource/); this module re-exports it for the
 * code that already imports it from here, and holds the registry that picks a driver by
 * (type, target).
 */
import { PermanentDriverError } from '../domain/resource/permanent-error.ts';
import { declarationOf, withContractChecks, type Driver, type ResourceTypeDeclaration } from '../domain/resource/driver-contract.ts';

export type { Json } from '../domain/resource/json.ts';
export { PermanentDriverError } from '../domain/resource/permanent-error.ts';
export {
  checkOutputs, checkParams, declarationOf, defineDriver, outputNames, withContractChecks,
  type Driver, type DriverDefinition, type EnvironmentFacts, type ObjectJsonSchema, type OutputsSchema, type ParamsSchema,
  type ProvisionInput, type ProvisionResult, type ResourceRef, type ResourceTypeDeclaration, type ResourceTypes, type StatusResult, type WorkspaceUpstream,
} from '../domain/resource/driver-contract.ts';

/** The target of the embedded default; callers that name no target mean this one. */
export const defaultTarget = 'local';

const keyOf = (type: string, target: string) => `${type}\u0000${target}`;
const shown = (d: { type: string; target: string }) => `${d.type} (${d.target})`;

export class DriverRegistry {
  readonly #drivers = new Map<string, Driver>();

  /** Throws when two drivers claim the same (type, target) or a driver declares no schemas: both are wiring mistakes, caught at start. */
  constructor(drivers: Driver[]) {
    for (const d of drivers) {
      const key = keyOf(d.type, d.target);
      if (this.#drivers.has(key)) throw new Error(`two drivers are registered for resource type "${d.type}" on target "${d.target}": register one`);
      // Plain JavaScript can skip the declarations the types demand; the loader cannot check paths without them.
      if (!d.params || !d.outputs) throw new Error(`the ${d.type} driver (${d.target}) must declare its params and outputs schemas`);
      this.#drivers.set(key, withContractChecks(d));
    }
  }

  /** Every resource type with a driver, on any target. */
  get types(): string[] {
    return [...new Set([...this.#drivers.values()].map((d) => d.type))];
  }

  get(type: string, target: string = defaultTarget): Driver {
    const d = this.#drivers.get(keyOf(type, target));
    if (!d) {
      const known = [...this.#drivers.values()].map(shown).join(', ') || 'none';
      throw new PermanentDriverError(`no driver for resource type "${type}" on target "${target}"; this platform has drivers for: ${known}`);
    }
    return d;
  }

  /** What each resource type takes and gives on `target`, for the path loader. */
  declarations(target: string = defaultTarget): ReadonlyMap<string, ResourceTypeDeclaration> {
    return new Map([...this.#drivers.values()].filter((d) => d.target === target).map((d) => [d.type, declarationOf(d)]));
  }
}
