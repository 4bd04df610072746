import type { NoticeView } from '../../domain/notice/schema.ts';
import type { ApiClient } from '../client.ts';
import { bold, clock, dim, red } from '../format.ts';
import { print, printJson } from '../output.ts';

/** `goldpath notices [--all] [--read <id>]`: what the platform told you and your team; break-glass in red. */
export async function notices(client: ApiClient, opts: { all?: boolean; read?: string; json?: boolean }): Promise<number> {
  if (opts.read) {
    const n = await client.request<NoticeView>('POST', `/api/v1/notices/${encodeURIComponent(opts.read)}/read`);
    if (opts.json) printJson(n);
    else print(`notice ${n.id} read`);
    return 0;
  }
  const { notices: list } = await client.request<{ notices: NoticeView[] }>('GET', `/api/v1/notices${opts.all ? '' : '?unread=true'}`);
  if (opts.json) printJson(list);
  else if (list.length === 0) print(opts.all ? 'no notices' : 'no unread notices (--all shows the read ones too)');
  else {
    for (const n of list) {
      const head = `${clock(n.at)} ${n.kind}${n.environmentName ? ` · ${n.environmentName}` : ''}${n.team && !n.user ? ` (team ${n.team})` : ''}`;
      print(`${dim(`#${n.id}`)} ${n.kind === 'break-glass' ? red(bold(head)) : bold(head)}`);
      print(`    ${n.kind === 'break-glass' ? red(n.message) : n.message}`);
    }
  }
  return 0;
}
