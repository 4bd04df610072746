import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { PathCost } from '../domain/spend/estimate.ts';
import type { GoldenPath } from '../domain/golden-path/schema.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { RateCardError } from '../engine/spend/rate-card-file.ts';
import type { Spend } from '../engine/spend/service.ts';
import { formatPathError } from '../engine/paths/loader.ts';
import { errors, json, secured, type Api, type Env } from './openapi.ts';

const PathSummary = z.object({
  name: z.string(), title: z.string(), description: z.string(), audience: z.string(), use: z.string().nullable(),
  tags: z.array(z.string()), owner: z.string(), version: z.string(), dataClass: z.string().nullable(), approval: z.string(),
  extensible: z.boolean(), resources: z.array(z.object({ id: z.string(), type: z.string() })),
  parameters: z.record(z.string(), z.unknown()), docs: z.string().nullable(),
  cost: PathCost.nullable().describe('Estimated cost per day at the rate card\'s prices; null while the rate card has errors'),
});

/** The golden paths on offer, and the files that did not load (with file, line and field). */
export function registerPathRoutes(app: Api, deps: { paths: PathLibrary; spend: Spend }): void {
  const costOf = (path: GoldenPath): z.infer<typeof PathCost> | null => {
    try {
      return deps.spend.pathCost(path);
    } catch (e) {
      // A rate card broken after start: paths stay listed, without a price, and the log says why.
      if (e instanceof RateCardError) {
        console.error(`[spend] ${e.message}`);
        return null;
      }
      throw e;
    }
  };
  const summary = (c: Context<Env>, name: string): z.infer<typeof PathSummary> => {
    const { path } = deps.paths.get(name);
    return {
      name: path.metadata.name, title: path.metadata.title, description: path.metadata.description, audience: path.metadata.audience,
      use: path.metadata.use ?? null, tags: path.metadata.tags, owner: path.metadata.owner, version: path.spec.version,
      dataClass: path.spec.dataClass ?? null, approval: path.spec.approval, extensible: path.spec.extensible,
      resources: Object.entries(path.spec.resources).map(([id, r]) => ({ id, type: r.type })),
      parameters: path.spec.parameters, docs: path.spec.docs ?? null, cost: costOf(path),
    };
  };
  app.openapi(createRoute({ method: 'get', path: '/api/v1/paths', security: secured,
    responses: { 200: json(z.object({ paths: z.array(PathSummary), errors: z.array(z.object({ file: z.string(), line: z.number().nullable(), field: z.string().nullable(), message: z.string(), text: z.string() })) }), 'Golden paths, and the files that could not be loaded') } }),
    (c) => c.json({ paths: deps.paths.list().map((p) => summary(c, p.path.metadata.name)), errors: deps.paths.errors.map((e) => ({ ...e, text: formatPathError(e) })) }, 200));

  app.openapi(createRoute({ method: 'get', path: '/api/v1/paths/{name}', security: secured,
    request: { params: z.object({ name: z.string() }) }, responses: { 200: json(PathSummary, 'One golden path'), 404: errors[404] } }),
    (c) => c.json(summary(c, c.req.valid('param').name), 200));
}
