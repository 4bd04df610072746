import { createRoute, z } from '@hono/zod-openapi';
import { PlatformError } from '../engine/errors.ts';
import { authorize } from './authorize.ts';
import { errors, json, secured, type Api } from './openapi.ts';
import { registerDatasetInsightRoutes, type DatasetInsightDeps } from './dataset-insight-routes.ts';

export const DatasetView = z.object({
  schema: z.string(), name: z.string(), kind: z.string(), dataset: z.string(), owner: z.string().nullable(), description: z.string().nullable(), visibleTo: z.array(z.string()),
  columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), description: z.string().nullable(), classification: z.string().nullable(), visibleTo: z.array(z.string()) })),
});
export type DatasetView = z.infer<typeof DatasetView>;

/** The warehouse's data dictionary: every table and view, its columns, their classification and who sees them. */
export function registerDatasetRoutes(app: Api, deps: { dataDictionary?: () => Promise<{ relations: DatasetView[] }>; applyWarehousePolicy?: () => Promise<{ datasets: number }> } & DatasetInsightDeps): void {
  const datasets = async (): Promise<DatasetView[]> => {
    if (!deps.dataDictionary) throw new PlatformError(404, 'no_warehouse', 'this platform has no warehouse');
    return (await deps.dataDictionary()).relations;
  };
  app.openapi(createRoute({ method: 'get', path: '/api/v1/datasets', security: secured,
    responses: { 200: json(z.object({ datasets: z.array(DatasetView) }), 'The data dictionary: every warehouse table and view with its columns') } }),
    async (c) => c.json({ datasets: await datasets() }, 200));
  app.openapi(createRoute({ method: 'get', path: '/api/v1/datasets/{schema}/{name}', security: secured,
    request: { params: z.object({ schema: z.string(), name: z.string() }) },
    responses: { 200: json(DatasetView, 'One dataset with its columns'), 404: errors[404] } }),
    async (c) => {
      const { schema, name } = c.req.valid('param');
      const found = (await datasets()).find((d) => d.schema === schema && d.name === name);
      if (!found) throw new PlatformError(404, 'unknown_dataset', `no dataset ${schema}.${name}; GET /api/v1/datasets lists them`);
      return c.json(found, 200);
    });
  registerDatasetInsightRoutes(app, { ...deps, datasets }); // preview and stats, for the dataset pages

  app.openapi(createRoute({ method: 'post', path: '/api/v1/warehouse/apply', security: secured,
    responses: { 200: json(z.object({ datasets: z.number() }), 'The policy file was read again: masked views, grants, the dictionary and the catalog follow it'), 400: errors[400], 403: errors[403] } }),
    async (c) => {
      authorize(c, 'applyWarehouse', { type: 'Platform' });
      if (!deps.applyWarehousePolicy) throw new PlatformError(404, 'no_warehouse', 'this platform has no warehouse');
      try {
        return c.json(await deps.applyWarehousePolicy(), 200);
      } catch (e) {
        if ((e as Error).name === 'PolicyError') throw new PlatformError(400, 'invalid_policy', (e as Error).message);
        throw e;
      }
    });
}
