import { createRoute, z } from '@hono/zod-openapi';
import { admitModel } from '../engine/models/admission.ts';
import { PlatformError } from '../engine/errors.ts';
import { userEntity } from '../engine/policy/entities.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { currentRegistry, toolProviding } from '../engine/tools/registry.ts';
import { supportModels, toolCategories } from '../engine/tools/schema.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const ToolView = z.object({
  id: z.string(), title: z.string().nullable(), category: z.enum(toolCategories), licence: z.string(), support: z.enum(supportModels),
  provides: z.array(z.string()), homepage: z.string().nullable(),
  usedBy: z.array(z.string()).openapi({ description: 'the loaded golden paths that start this tool' }),
});
const ModelView = z.object({
  id: z.string(), title: z.string().nullable(), licence: z.string(), support: z.enum(supportModels),
  trainedOnCopyrightedData: z.boolean(), trainingData: z.string(), homepage: z.string().nullable(),
  allowed: z.boolean().openapi({ description: 'whether the gateway would serve it to the caller' }),
  reason: z.string().openapi({ description: 'the deciding policies and why' }),
  policies: z.array(z.string()),
});
const ModelParam = z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' }, example: 'llama-3.1-8b-instruct' }) });

/**
 * The tool and model registry (policies/registry.yaml) and the LLM gateway's admission check, a
 * stand-in for the gateway until it exists: the gateway asks it before serving a request.
 */
export function registerModelRoutes(app: Api, deps: { paths: PathLibrary }): void {
  app.openapi(createRoute({ method: 'get', path: '/api/v1/tools', security: secured,
    description: 'Every tool a golden path may start, with its licence, support model and category, and the paths that use it.',
    responses: { 200: json(z.object({ tools: z.array(ToolView) }), 'The registry\'s tools') } }),
    (c) => {
      const registry = currentRegistry(c.get('policy').dirs);
      const usedBy = (id: string) => deps.paths.list().filter(({ path }) =>
        path.spec.tools.includes(id) || Object.values(path.spec.resources).some((r) => toolProviding(registry, r.type)?.id === id)).map((p) => p.path.metadata.name);
      return c.json({ tools: Object.entries(registry.tools).map(([id, t]) => ({
        id, title: t.title ?? null, category: t.category, licence: t.licence, support: t.support, provides: t.provides, homepage: t.homepage ?? null, usedBy: usedBy(id),
      })) }, 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/models', security: secured,
    description: 'Every model the LLM gateway knows, with whether it would serve it to you and the policy that decides.',
    responses: { 200: json(z.object({ models: z.array(ModelView) }), 'The registry\'s models') } }),
    (c) => {
      const engine = c.get('policy');
      const registry = currentRegistry(engine.dirs);
      const principal = userEntity(c.get('user'));
      // A listing decides once per model; none of it is a request to be served, so none is audited.
      return c.json({ models: Object.entries(registry.models).map(([id, m]) => {
        const admission = admitModel(engine, registry, principal, id);
        return {
          id, title: m.title ?? null, licence: m.licence, support: m.support, trainedOnCopyrightedData: m.trainedOnCopyrightedData,
          trainingData: m.trainingData, homepage: m.homepage ?? null,
          allowed: admission.allowed, reason: admission.decision.message, policies: admission.decision.policies,
        };
      }) }, 200);
    });

  app.openapi(createRoute({ method: 'post', path: '/api/v1/models/{id}/admission', security: secured,
    description: 'Asks whether the LLM gateway may serve this model to you: 200 when it may, 403 with the policy and its reason when not.',
    request: { params: ModelParam },
    responses: {
      200: json(z.object({ model: z.string(), allowed: z.literal(true), policies: z.array(z.string()) }), 'The gateway may serve it'),
      403: errors[403], 404: errors[404],
    } }),
    (c) => {
      const engine = c.get('policy');
      const user = c.get('user');
      const { id } = c.req.valid('param');
      const admission = admitModel(engine, currentRegistry(engine.dirs), userEntity(user), id, user.team);
      c.set('decision', admission.decision);
      if (!admission.allowed) throw new PlatformError(403, 'denied', `${user.id} may not be served model ${id}: ${admission.reason}`);
      return c.json({ model: id, allowed: true as const, policies: admission.decision.policies }, 200);
    });
}
