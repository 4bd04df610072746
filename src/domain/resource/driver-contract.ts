import { z } from 'zod';
import type { Json } from './json.ts';
import { PermanentDriverError } from './permanent-error.ts';

/**
 * The provisioner seam: one small interface per resource type and target. The engine keeps the
 * state (drivers return it, never store it), orders the calls and retries them; a driver only
 * makes the world match one resource, and must be safe to call again with the same input.
 *
 * A driver also says what it takes and gives, as schemas: the engine checks a resource's params
 * against `params` before provisioning, and the path loader checks every
 * `${resources.<id>.<output>}` against `outputs` before a path is offered at all.
 */

export interface ResourceRef {
  environmentId: string;
  resourceId: string;
  /** What the driver returned last time ({} the first time). */
  state: Record<string, Json>;
}

export interface EnvironmentFacts {
  id: string;
  name: string;
  team: string;
  owner: string;
  dataClass: string | null;
  path: string;
  params: Record<string, unknown>;
}

export interface ProvisionInput<Params = Record<string, unknown>> extends ResourceRef {
  /** The resource's params with every placeholder already substituted. */
  params: Params;
  environment: EnvironmentFacts;
}

export interface ProvisionResult<Outputs = Record<string, Json>> {
  state: Record<string, Json>;
  /** Plain data that people and later resources use (`${resources.<id>.<output>}`); `url` is what a person follows. */
  outputs: Outputs;
}

export interface StatusResult {
  healthy: boolean;
  message?: string;
}


/**
 * Where the front door sends a workspace's web traffic (`/w/<environment>/<resource>/…`). The
 * browser never learns it: the upstream's port, socket and token stay behind the platform.
 */
export type WorkspaceUpstream =
  /** A server the workspace runs on the loopback (or a unix socket); `headers` (its own token) are added to every request. */
  | { kind: 'http'; url: string; socketPath?: string; headers?: Record<string, string> }
  /** Files the platform serves itself, e.g. a built website preview. */
  | { kind: 'static'; root: string };

/** What a driver takes: an object schema of its params after placeholder substitution. */
export type ParamsSchema = z.ZodType<Record<string, unknown>>;
/** What a driver gives: an object schema whose fields are the outputs other resources may use. */
export type OutputsSchema = z.ZodType<Record<string, Json>>;

/** The driver as the engine and the registry see it. */
export interface Driver {
  type: string;
  target: string;
  params: ParamsSchema;
  outputs: OutputsSchema;
  provision(input: ProvisionInput): Promise<ProvisionResult>;
  status(ref: ResourceRef): Promise<StatusResult>;
  /** Removes everything provision made; no error when it is already gone. */
  deprovision(ref: ResourceRef): Promise<void>;
  /**
   * Stops what costs while idle (a process) and keeps the user's work; `provision` starts it
   * again. Types without it (a repo, a grant) stay as they are while the environment is stopped.
   */
  stop?(ref: ResourceRef): Promise<void>;
  /**
   * When the workspace was last used, as the tool itself measures it (Jupyter's last_activity);
   * null when it cannot tell (not running, not answering). Types without it are never stopped for idleness.
   */
  activity?(ref: ResourceRef): Promise<Date | null>;
  /** Where the front door reaches this resource's web UI or service now; null while it does not run. Types without it serve nothing. */
  upstream?(ref: ResourceRef): Promise<WorkspaceUpstream | null>;
}

/** A driver as its author writes it: params and outputs typed from its own schemas. */
export interface DriverDefinition<P extends ParamsSchema, O extends OutputsSchema> {
  type: string;
  target: string;
  params: P;
  outputs: O;
  provision(input: ProvisionInput<z.output<P>>): Promise<ProvisionResult<z.input<O>>>;
  status(ref: ResourceRef): Promise<StatusResult>;
  deprovision(ref: ResourceRef): Promise<void>;
  stop?(ref: ResourceRef): Promise<void>;
  /**
   * When the workspace was last used, as the tool itself measures it (Jupyter's last_activity);
   * null when it cannot tell (not running, not answering). Types without it are never stopped for idleness.
   */
  activity?(ref: ResourceRef): Promise<Date | null>;
  /** Where the front door reaches this resource's web UI or service now; null while it does not run. Types without it serve nothing. */
  upstream?(ref: ResourceRef): Promise<WorkspaceUpstream | null>;
}

/**
 * Turns a typed definition into a Driver whose provision sees only params that passed its schema
 * and gives only outputs that match it, so the types the author wrote against hold at run time.
 */
export function defineDriver<P extends ParamsSchema, O extends OutputsSchema>(definition: DriverDefinition<P, O>): Driver {
  // Sound because withContractChecks parses params before provision and outputs after it.
  return withContractChecks(definition as unknown as Driver);
}

const checked = new WeakSet<Driver>();

/** Wraps provision with the checks of the driver's own declarations; wrapping twice is a no-op. */
export function withContractChecks(driver: Driver): Driver {
  if (checked.has(driver)) return driver;
  const wrapped: Driver = Object.assign(Object.create(Object.getPrototypeOf(driver) as object) as Driver, driver, {
    async provision(input: ProvisionInput): Promise<ProvisionResult> {
      const params = checkParams(driver, input.resourceId, input.params);
      const result = await driver.provision({ ...input, params });
      return { state: result.state, outputs: checkOutputs(driver, input.resourceId, result.outputs) };
    },
  });
  checked.add(wrapped);
  return wrapped;
}

/**
 * Checks a resource's params (placeholders already substituted) against the driver's params
 * schema; a mismatch is permanent, since retrying sends the same params again.
 */
export function checkParams(driver: Pick<Driver, 'type' | 'params'>, resourceId: string, params: unknown): Record<string, unknown> {
  const r = driver.params.safeParse(params);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => describeIssue('param', i));
  throw new PermanentDriverError(`resource "${resourceId}" (${driver.type}): ${problems.join('; ')}`);
}

/** Checks what a driver gave against what it declared: later resources and the loader rely on it. */
export function checkOutputs(driver: Pick<Driver, 'type' | 'target' | 'outputs'>, resourceId: string, outputs: unknown): Record<string, Json> {
  const r = driver.outputs.safeParse(outputs);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => describeIssue('output', i));
  throw new PermanentDriverError(
    `the ${driver.type} driver (${driver.target}) gave resource "${resourceId}" outputs that differ from what it declares: ${problems.join('; ')}`,
  );
}

// Zod 4 leaves input values out of its messages, so secrets in params or outputs never reach these.
function describeIssue(what: 'param' | 'output', issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return `unknown ${what}${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${field ? `${field}.` : ''}${k}"`).join(', ')}`;
  }
  if (!field) return `${what}s: ${issue.message}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `${what} "${field}" is required (${issue.expected})`;
  return `${what} "${field}": ${issue.message}`;
}

/** A JSON Schema of an object, the part the path loader reads. */
export interface ObjectJsonSchema {
  type?: unknown;
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: unknown;
}

/**
 * What a resource type takes and gives on one target, as plain JSON Schema: the path loader and
 * the API read this, never a driver's code.
 */
export interface ResourceTypeDeclaration {
  type: string;
  target: string;
  params: ObjectJsonSchema;
  outputs: ObjectJsonSchema;
}

/** The declarations the platform offers, by resource type, for the target it provisions to. */
export type ResourceTypes = ReadonlyMap<string, ResourceTypeDeclaration>;

export function declarationOf(driver: Pick<Driver, 'type' | 'target' | 'params' | 'outputs'>): ResourceTypeDeclaration {
  return {
    type: driver.type,
    target: driver.target,
    // `input`: a path file writes params before defaults are applied.
    params: z.toJSONSchema(driver.params, { io: 'input', unrepresentable: 'any' }) as ObjectJsonSchema,
    outputs: z.toJSONSchema(driver.outputs, { unrepresentable: 'any' }) as ObjectJsonSchema,
  };
}

export const outputNames = (d: ResourceTypeDeclaration): string[] => Object.keys(d.outputs.properties ?? {});
