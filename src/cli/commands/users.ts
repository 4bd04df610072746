import { CliError, connect, resolveTarget, type ConnectionOptions } from '../client.ts';
import { dim } from '../format.ts';
import { print, printJson } from '../output.ts';

/**
 * `goldpath users`: the local users of the embedded default, whom `--as` can act as. Against a
 * platform named by --server / GOLDPATH_URL there are none: each person uses their own token, so
 * it says whose that token is, and that --as does not apply there.
 */
export async function listUsers(opts: ConnectionOptions & { json?: boolean }): Promise<number> {
  const { server, named, home, local } = await resolveTarget({ ...opts, as: undefined });
  if (local) {
    const users = Object.keys(local.tokens).map((id) => ({ id, default: id === local.defaultUser }));
    // Where the passwords are, never the passwords: each is for its own person.
    const passwords = home ? (await import('../../platform/config.ts')).localAccountsFile(home) : null;
    if (opts.json) printJson({ server, local: true, users, passwordsFile: passwords });
    else {
      for (const u of users) print(`${u.id}${u.default ? ' (default)' : ''}`);
      if (passwords) print(dim(`\neach has a portal password of their own, in ${passwords} (readable by the operator only)`));
    }
    return 0;
  }
  if (!named) throw new CliError(`no local platform in ${home}: start it with \`goldpath up\`, or set GOLDPATH_URL and GOLDPATH_TOKEN to use a remote one`);
  const me = await (await connect({ ...opts, as: undefined })).request<{ id: string; name: string; team: string }>('GET', '/api/v1/me');
  if (opts.json) printJson({ server, local: false, users: [{ id: me.id, name: me.name, team: me.team, current: true }] });
  else {
    print(`${me.id} (${me.name}, team ${me.team}) on ${server}`);
    print(dim('--as acts as the local users of the embedded default only; on this server each person signs in (`goldpath login`) or uses their own token (GOLDPATH_TOKEN)'));
  }
  return 0;
}
