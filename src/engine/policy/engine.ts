import { watch, type FSWatcher } from 'node:fs';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { entityRef, type Decision, type PolicyEntity, type PolicyValue } from '../../domain/policy/decision.ts';
import { readPolicyFiles, PolicyFileError, type PolicySource } from './policy-files.ts';

export interface DecisionRequest {
  principal: PolicyEntity;
  action: string;
  resource: PolicyEntity;
  context?: Record<string, PolicyValue>;
  /** Other entities the policies may look into (e.g. the teams a principal's team is in). */
  entities?: PolicyEntity[];
  /** The team the resource belongs to, recorded with the decision. */
  team?: string | null;
}

/** The id the audit log gives a denial no policy asked for: nothing permitted it. */
export const DEFAULT_DENY = 'default-deny';

const toCedarValue = (v: PolicyValue): cedar.CedarValueJson => {
  if (Array.isArray(v)) return v.map(toCedarValue);
  if (v !== null && typeof v === 'object') {
    if ('entity' in v && typeof v.entity === 'object' && v.entity !== null && !Array.isArray(v.entity)) {
      const e = v.entity as { type: string; id: string };
      return { __entity: { type: e.type, id: e.id } };
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCedarValue(x as PolicyValue)]));
  }
  return v;
};
const toCedarEntity = (e: PolicyEntity): cedar.EntityJson => ({
  uid: { type: e.type, id: e.id },
  attrs: Object.fromEntries(Object.entries(e.attrs ?? {}).map(([k, v]) => [k, toCedarValue(v)])),
  parents: (e.parents ?? []).map((p) => ({ type: p.type, id: p.id })),
});

/**
 * Every authorisation decision of the platform: Cedar over the policy files, parsed and validated
 * once per load (stateful authorisation keeps the parsed set in the engine), so a decision costs
 * microseconds. A change to the files is picked up by itself; a broken change is reported with
 * file and line and the policies in force stay as they were.
 */
export class PolicyEngine {
  readonly dirs: string[];
  #generation = 0;
  #setId = '';
  #byId = new Map<string, PolicySource>();
  #watchers: FSWatcher[] = [];
  #log: (line: string) => void;

  private constructor(dirs: string[], log: (line: string) => void) {
    this.dirs = dirs;
    this.#log = log;
  }

  /** Loads the policies of `dirs` (later folders override earlier ones by file name); throws PolicyFileError with lines. */
  static load(dirs: string[], opts: { log?: (line: string) => void } = {}): PolicyEngine {
    const engine = new PolicyEngine(dirs, opts.log ?? ((l) => process.stderr.write(`${l}\n`)));
    engine.reload();
    return engine;
  }

  /** Reads the files again; on any problem nothing changes and the error says where. */
  reload(): { policies: number } {
    const bundle = readPolicyFiles(this.dirs);
    const generation = this.#generation + 1;
    const setId = `policies-${generation}`;
    const set = cedar.preparsePolicySet(setId, { staticPolicies: Object.fromEntries(bundle.policies.map((p) => [p.id, p.text])) });
    if (set.type === 'failure') throw new PolicyFileError(set.errors.map((e) => ({ file: '(policies)', line: 1, message: e.message })));
    this.#generation = generation;
    this.#setId = setId;
    this.#byId = new Map(bundle.policies.map((p) => [p.id, p]));
    return { policies: bundle.policies.length };
  }

  /** Reloads whenever a file in the folders changes (debounced); errors are logged, not thrown. */
  watch(onReload?: (result: { policies: number } | { error: PolicyFileError }) => void): void {
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          const r = this.reload();
          this.#log(`policies reloaded: ${r.policies} in force`);
          onReload?.(r);
        } catch (e) {
          if (!(e instanceof PolicyFileError)) throw e;
          this.#log(`policies NOT reloaded, the ones in force stay:\n${e.message}`);
          onReload?.({ error: e });
        }
      }, 150);
      timer.unref();
    };
    for (const dir of this.dirs) {
      try {
        const w = watch(dir, changed);
        w.unref();
        this.#watchers.push(w);
      } catch {
        // a folder that does not exist is not watched; it is read at the next start
      }
    }
  }

  close(): void {
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
  }

  /** The policy with this id, for messages and `goldpath policies`. */
  policy(id: string): PolicySource | undefined {
    return this.#byId.get(id);
  }

  get policies(): PolicySource[] {
    return [...this.#byId.values()];
  }

  decide(req: DecisionRequest): Decision {
    const resource = entityRef(req.resource);
    const base = { action: req.action, resource, team: req.team ?? null };
    const answer = cedar.statefulIsAuthorized({
      principal: { type: req.principal.type, id: req.principal.id },
      action: { type: 'Action', id: req.action },
      resource: { type: req.resource.type, id: req.resource.id },
      context: Object.fromEntries(Object.entries(req.context ?? {}).map(([k, v]) => [k, toCedarValue(v)])),
      // The policies were validated against the schema when loaded; requests come from typed code
      // (src/engine/policy/entities.ts), and checking each against the schema again costs 2–4×.
      validateRequest: false,
      preparsedPolicySetId: this.#setId,
      entities: [req.principal, req.resource, ...(req.entities ?? [])].map(toCedarEntity),
    });
    if (answer.type === 'failure') {
      // A request the schema does not allow is a bug of the caller: refuse, and say so in the log.
      this.#log(`policy request refused as malformed (${req.action} on ${resource}): ${answer.errors.map((e) => e.message).join('; ')}`);
      return { ...base, allowed: false, policies: [DEFAULT_DENY], message: `the platform could not evaluate ${req.action} on ${resource}; this is a bug, please report it` };
    }
    const { decision, diagnostics } = answer.response;
    for (const e of diagnostics.errors) this.#log(`policy ${e.policyId} could not be evaluated for ${req.action} on ${resource}: ${e.error.message}`);
    const policies = diagnostics.reason;
    if (decision === 'allow') return { ...base, allowed: true, policies, message: `allowed by ${policies.join(', ')}` };
    if (policies.length === 0) {
      return { ...base, allowed: false, policies: [DEFAULT_DENY], message: `no policy allows ${entityRef(req.principal)} to ${req.action} ${resource}` };
    }
    const reasons = policies.map((id) => `${this.#byId.get(id)?.reason ?? 'forbidden'} (policy ${id})`);
    return { ...base, allowed: false, policies, message: reasons.join('; ') };
  }
}
