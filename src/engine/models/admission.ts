import type { Decision, PolicyEntity } from '../../domain/policy/decision.ts';
import type { DecisionRequest } from '../policy/engine.ts';
import { PlatformError } from '../errors.ts';
import type { ModelEntry, Registry } from '../tools/registry.ts';

export const modelEntity = (id: string, m: ModelEntry): PolicyEntity => ({
  type: 'Model', id, attrs: { licence: m.licence, support: m.support, trainedOnCopyrightedData: m.trainedOnCopyrightedData },
});

export type Admission =
  | { allowed: true; model: string; decision: Decision }
  | { allowed: false; model: string; reason: string; decision: Decision };

/**
 * Whether the LLM gateway may serve `modelId` to `principal` (a User or an Environment entity):
 * the stand-in for the gateway's own check until the gateway exists. A model the registry does
 * not list is not served at all: 404, naming the ones it does.
 */
export function admitModel(
  engine: { decide(req: DecisionRequest): Decision },
  registry: Registry,
  principal: PolicyEntity,
  modelId: string,
  team: string | null = null,
): Admission {
  const model = registry.models[modelId];
  if (!model) {
    const known = Object.keys(registry.models).join(', ') || 'none';
    throw new PlatformError(404, 'unknown_model', `no model "${modelId}" in the registry; models listed there: ${known}. A platform admin adds a model to registry.yaml with its licence, support model and training-data provenance`);
  }
  const decision = engine.decide({ principal, action: 'serveModel', resource: modelEntity(modelId, model), team });
  return decision.allowed
    ? { allowed: true, model: modelId, decision }
    : { allowed: false, model: modelId, reason: decision.message, decision };
}
