import type { ApiClient } from '../client.ts';
import { red, table } from '../format.ts';
import { print, printJson } from '../output.ts';

interface PathList {
  paths: { name: string; title: string; audience: string; dataClass: string | null; approval: string; resources: { type: string }[]; cost: { currency: string; perDay: string } | null }[];
  errors: { text: string }[];
}

export async function listPaths(client: ApiClient, opts: { json?: boolean }): Promise<number> {
  const data = await client.request<PathList>('GET', '/api/v1/paths');
  if (opts.json) {
    printJson(data);
    return 0;
  }
  print(table(data.paths.map((p) => ({
    ...p, data: p.dataClass ?? '-', approval: p.approval === 'none' ? 'no' : 'yes', creates: p.resources.map((r) => r.type).join(', '),
    // Estimated from the rate card: what a day of it costs when it runs all day.
    'cost/day': p.cost ? `${p.cost.perDay} ${p.cost.currency}` : '-',
  })), ['name', 'title', 'audience', 'data', 'approval', 'creates', 'cost/day']));
  for (const e of data.errors) process.stderr.write(red(`not loaded: ${e.text}`) + '\n');
  return 0;
}
