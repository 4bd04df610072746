import type { ApiClient } from '../client.ts';
import { red, table } from '../format.ts';
import { print, printJson } from '../output.ts';

export interface PolicyView {
  id: string;
  effect: 'permit' | 'forbid';
  file: string;
  line: number;
  reason: string | null;
  text: string;
}

/** `goldpath policies`: the policies in force, where each comes from and why; forbids in red. */
export async function showPolicies(client: ApiClient, opts: { json?: boolean }): Promise<number> {
  const { policies: inForce } = await client.request<{ policies: PolicyView[] }>('GET', '/api/v1/policies');
  // As they read in their files, so a row leads to its text.
  const policies = inForce.toSorted((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  if (opts.json) {
    printJson(policies);
    return 0;
  }
  if (policies.length === 0) {
    print('no policies in force: everything is denied');
    return 0;
  }
  const rows = policies.map((p) => ({ id: p.id, effect: p.effect, where: `${p.file}:${p.line}`, reason: p.reason ?? '' }));
  print(table(rows, ['id', 'effect', 'where', 'reason'], (i) => (policies[i]!.effect === 'forbid' ? red : undefined)));
  return 0;
}
