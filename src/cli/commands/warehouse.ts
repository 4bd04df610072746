import type { ApiClient } from '../client.ts';
import { print, printJson } from '../output.ts';

/** `goldpath warehouse apply`: the platform re-reads its data policy; masked views, grants and the dictionary follow. */
export async function applyWarehousePolicy(client: ApiClient, opts: { json?: boolean }): Promise<number> {
  const r = await client.request<{ datasets: number }>('POST', '/api/v1/warehouse/apply');
  if (opts.json) printJson(r);
  else print(`warehouse policy applied: ${r.datasets} tables and views described`);
  return 0;
}
