import type { ApiClient } from '../client.ts';
import { bold, dim, table } from '../format.ts';
import { print, printJson } from '../output.ts';

// Only the HTTP API: the understanding happens on the platform (POST /api/v1/assistant), so this
// command stays as light as the others and every client hears the same answer.

interface Answer {
  understood: { intent: string; slots: Record<string, unknown> };
  says: string;
  question?: string;
  choices?: { label: string; text: string }[];
  pending?: unknown;
  proposal?: { action: string; request: Record<string, unknown>; confirmToken: string };
  result?: {
    spend?: { by: string; rows: { key: string; label: string; amount: string }[]; total: string; currency: string };
    environments?: { id: string; name: string; path: string; status: string }[];
    catalog?: { items: { ref: string; metadata: { title?: string } }[] };
    path?: { docs: string | null };
    environment?: { id: string };
    link?: string;
  };
}

const slotOrder = ['path', 'environment', 'team', 'name', 'params', 'reason', 'period', 'by', 'kind', 'text', 'all'];
const slotText = (slots: Record<string, unknown>): string => Object.entries(slots).sort(([a], [b]) => slotOrder.indexOf(a) - slotOrder.indexOf(b))
  .map(([k, v]) => `${k}=${typeof v === 'object' ? (k === 'period' ? (v as { label: string }).label : JSON.stringify(v)) : String(v)}`).join(' ');

/** A line to the person, on a TTY, answered with a line; undefined when nobody can answer. */
async function prompt(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** `goldpath ask "<sentence>" [--yes] [--json]`: what it understood, what it will do, and (after confirmation) the result. */
export async function ask(client: ApiClient, words: string[], opts: { yes?: boolean; json?: boolean }): Promise<number> {
  let answer = await client.request<Answer>('POST', '/api/v1/assistant', { text: words.join(' ') });
  // Questions are asked on a terminal; anywhere else (and with --json) the answer is printed as it is.
  for (let turn = 0; turn < 5; turn++) {
    if (!opts.json) show(answer, client.server);
    if (answer.proposal) {
      const go = opts.yes ? 'y' : opts.json ? undefined : await prompt(`${bold('Go ahead?')} [y/N] `);
      if (go === undefined) {
        if (opts.json) printJson(answer);
        else print(dim('Nothing done: run again with --yes to confirm, or answer on a terminal.'));
        return 0;
      }
      if (!/^y(es)?$/i.test(go)) {
        print('Cancelled: nothing done.');
        return 0;
      }
      answer = await client.request<Answer>('POST', '/api/v1/assistant', { confirm: answer.proposal.confirmToken });
      if (opts.json) printJson(answer);
      else show(answer, client.server);
      return 0;
    }
    if (!answer.question || opts.json || opts.yes) break;
    const reply = await prompt(answer.choices?.length ? `Pick a number, or say more (Enter to stop): ` : '> ');
    if (!reply) return answer.question ? 2 : 0;
    const picked = answer.choices?.[Number(reply) - 1];
    answer = picked
      ? await client.request<Answer>('POST', '/api/v1/assistant', { text: picked.text })
      : await client.request<Answer>('POST', '/api/v1/assistant', { text: reply, ...(answer.pending ? { context: { pending: answer.pending } } : {}) });
  }
  if (opts.json) printJson(answer);
  // A question left unanswered is not success: scripts learn that nothing was done.
  return answer.question ? 2 : 0;
}

function show(a: Answer, server: string): void {
  if (!a.result || !('environment' in a.result)) print(dim(`understood: ${a.understood.intent}${Object.keys(a.understood.slots).length ? ` ${slotText(a.understood.slots)}` : ''}`));
  print(a.says);
  a.choices?.forEach((c, i) => print(`  ${i + 1}. ${c.label}${dim(`  (${c.text})`)}`));
  const r = a.result;
  if (!r) return;
  if (r.spend) {
    const rep = r.spend;
    const rows: Record<string, unknown>[] = rep.rows.map((x) => ({ [rep.by]: x.key, what: x.label, amount: x.amount }));
    rows.push({ [rep.by]: 'TOTAL', what: '', amount: `${rep.total} ${rep.currency}` });
    print(table(rows, [rep.by, 'what', 'amount'], (i) => (i === rows.length - 1 ? bold : undefined)));
  } else if (r.environments) {
    print(table(r.environments.map((e) => ({ id: e.id, name: e.name, path: e.path, status: e.status })), ['id', 'name', 'path', 'status']));
  } else if (r.catalog) {
    for (const i of r.catalog.items) print(`  ${i.ref}${i.metadata.title ? `  ${i.metadata.title}` : ''}`);
  } else if (r.path?.docs) {
    print('');
    print(r.path.docs);
  } else if (r.environment) {
    print(`  ${server}${r.link ?? ''}    ${dim(`goldpath env ${r.environment.id}`)}`);
  }
}
