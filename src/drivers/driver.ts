/**
 * The provisioner seam: one small interface per resource type and target. The engine keeps the
 * state (drivers return it, never store it), orders the calls and retries them; a driver only
 * makes the world match one resource, and must be safe to call again with the same input.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ResourceRef {
  environmentId: string;
  resourceId: string;
  /** What the driver returned last time ({} the first time). */
  state: Record<string, Json>;
}

export interface ProvisionInput extends ResourceRef {
  /** The resource's params with every placeholder already substituted. */
  params: Record<string, unknown>;
  environment: { id: string; name: string; team: string; owner: string; dataClass: string | null; path: string; params: Record<string, unknown> };
}

export interface ProvisionResult {
  state: Record<string, Json>;
  /** Plain data that people and later resources use (`${resources.<id>.<output>}`); `url` is what a person follows. */
  outputs: Record<string, Json>;
}

export interface StatusResult {
  healthy: boolean;
  message?: string;
}

export interface Driver {
  type: string;
  target: string;
  provision(input: ProvisionInput): Promise<ProvisionResult>;
  status(ref: ResourceRef): Promise<StatusResult>;
  /** Removes everything provision made; no error when it is already gone. */
  deprovision(ref: ResourceRef): Promise<void>;
  /**
   * Stops what costs while idle (a process) and keeps the user's work; `provision` starts it
   * again. Types without it (a repo, a grant) stay as they are while the environment is stopped.
   */
  stop?(ref: ResourceRef): Promise<void>;
}

/** A failure that retrying cannot fix (bad params, a policy refusal): the engine stops retrying at once. */
export class PermanentDriverError extends Error {}

export class DriverRegistry {
  readonly #drivers = new Map<string, Driver>();
  constructor(drivers: Driver[]) {
    for (const d of drivers) this.#drivers.set(d.type, d);
  }
  get types(): string[] {
    return [...this.#drivers.keys()];
  }
  get(type: string): Driver {
    const d = this.#drivers.get(type);
    if (!d) throw new PermanentDriverError(`no driver for resource type "${type}" on this platform`);
    return d;
  }
}
