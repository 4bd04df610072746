// A hostile tenant: code in a synthetic environment's notebook tries everything it can to reach the
// platform around its front doors. Every attempt runs through Jupyter's kernel API, as a user's
// cell would, and must fail with nothing read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runCell } from '../../src/infrastructure/jupyter/index.ts';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { outputsOf } from '../support/outputs.ts';
import { notebookOf } from '../support/front-door.ts';
import { postHuge } from '../support/huge-body.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { query } from '../support/wait.ts';

const STATEMENT_LIMIT_MS = 3000;
let platform: PlatformProcess;
let env: EnvironmentView;
let other: EnvironmentView;


/** Runs Python in the tenant's kernel; the cell prints one JSON line with what it found. */
async function inKernel<T>(code: string, timeoutMs = 120_000): Promise<T> {
  const nb = notebookOf(platform, env);
  const cell = await runCell(nb.url, nb.auth, code, { timeoutMs });
  assert.equal(cell.status, 'ok', `${JSON.stringify(cell.error)}\n${cell.stderr}\n${cell.stdout}`);
  const line = cell.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as T;
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

before(async () => {
  platform = await startPlatformProcess({ env: { GOLDPATH_WAREHOUSE_STATEMENT_TIMEOUT_MS: String(STATEMENT_LIMIT_MS) } });
  env = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--team', 'churn-analytics', '--name', 'mallory', '--wait']);
  assert.equal(env.status, 'ready');
  other = await platform.cliJson<EnvironmentView>(['--as', 'mei', 'launch', 'data-science-experimentation', '--team', 'payments', '--name', 'victim', '--wait']);
  assert.equal(other.status, 'ready');
});
after(async () => {
  await platform?.stop();
});

test('the notebook cannot read the data folder, its state, its credentials or another environment\'s files', async () => {
  const home = platform.home;
  const targets = [
    home, join(home, 'state.json'), join(home, 'credentials.json'), join(home, 'repos'), join(home, 's3'),
    join(home, 'envs', other.id, 'notebook', 'home', 'work', 'README.md'), join(home, 'envs', env.id, 'notebook', 'run.json'),
    join(home, 'pg', 'postgres', 'pg_hba.conf'), '/root', '/proc/1/root/' + home.replace(/^\//, ''),
  ];
  const found = await inKernel<{ path: string; read: boolean; error: string }[]>(`
import os, json
out = []
for p in ${JSON.stringify(targets)}:
    try:
        if os.path.isdir(p): os.listdir(p)
        else: open(p, 'rb').read()
        out.append({"path": p, "read": True, "error": ""})
    except Exception as e:
        out.append({"path": p, "read": False, "error": type(e).__name__})
print(json.dumps(out))`);
  for (const f of found) assert.equal(f.read, false, `the tenant read ${f.path}`);
  const who = await inKernel<{ uid: number; home: string }>(`import os, json; print(json.dumps({"uid": os.getuid(), "home": os.path.expanduser("~")}))`);
  assert.notEqual(who.uid, 0, 'the kernel does not run as root');
});

test('the notebook sees no other process and no other environment of the platform', async () => {
  const platformPid = platform.process.pid!;
  const seen = await inKernel<{ pids: number[]; environ: { pid: string; secret: boolean }[]; platformVisible: boolean }>(`
import os, json
pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
environ = []
for p in pids:
    try:
        e = open(f'/proc/{p}/environ', 'rb').read()
        environ.append({"pid": str(p), "secret": b'GOLDPATH_HOME' in e or b'DATABASE_URL' in e or b'PGPASSWORD' in e})
    except Exception:
        pass
print(json.dumps({"pids": pids, "environ": environ, "platformVisible": os.path.exists('/proc/${platformPid}/environ') and ${platformPid} not in pids}))`);
  assert.ok(seen.pids.length < 15, `only the workspace's own processes: ${seen.pids.join(',')}`);
  assert.ok(!seen.environ.some((e) => e.secret), 'no visible process holds a platform secret');
  const cmdlines = await inKernel<string[]>(`
import os, json
out = []
for p in os.listdir('/proc'):
    if p.isdigit():
        try: out.append(open(f'/proc/{p}/cmdline', 'rb').read().replace(b'\\0', b' ').decode()[:200])
        except Exception: pass
print(json.dumps(out))`);
  for (const c of cmdlines) assert.doesNotMatch(c, /goldpath up|postgres -D|src\/cli\/main\.ts/, `the tenant sees a platform process: ${c}`);
});

test('nothing the notebook holds opens the platform database', async () => {
  const wh = outputsOf(env, 'warehouse');
  const attempts = await inKernel<{ attempt: string; ok: boolean; error: string }[]>(`
import os, json, psycopg2
from urllib.parse import urlparse
u = urlparse(os.environ['WAREHOUSE_URL'])
tries = [
  ("own role on the platform database", dict(user=u.username, password=u.password, dbname="goldpath")),
  ("own role on the postgres database", dict(user=u.username, password=u.password, dbname="postgres")),
  ("superuser with the role's password", dict(user="postgres", password=u.password, dbname="goldpath")),
  ("superuser without a password", dict(user="postgres", password="", dbname="goldpath")),
  ("superuser, password 'postgres'", dict(user="postgres", password="postgres", dbname="postgres")),
]
out = []
for name, kw in tries:
    try:
        c = psycopg2.connect(host=u.hostname, port=u.port, connect_timeout=5, **kw)
        cur = c.cursor(); cur.execute("select count(*) from api_tokens"); cur.fetchall()
        out.append({"attempt": name, "ok": True, "error": ""})
    except Exception as e:
        out.append({"attempt": name, "ok": False, "error": str(e).strip().split("\\n")[0][:200]})
print(json.dumps(out))`);
  for (const a of attempts) assert.equal(a.ok, false, `${a.attempt} reached the platform's tables`);
  assert.ok(wh.url.startsWith('postgres://'));
});

test('no local port but the S3 proxy answers S3 requests, and the proxy shows only the tenant\'s own bucket', async () => {
  const bucket = outputsOf(env, 'bucket');
  const proxyPort = Number(new URL(bucket.url).port);
  const result = await inKernel<{ port: number; buckets: string[] }[]>(`
import os, json, boto3, botocore
from botocore.config import Config
ports = set()
for f in ('/proc/net/tcp', '/proc/net/tcp6'):
    try:
        for line in open(f).readlines()[1:]:
            cols = line.split()
            if cols[3] == '0A': ports.add(int(cols[1].split(':')[-1], 16))
    except FileNotFoundError:
        pass
cfg = Config(connect_timeout=1, read_timeout=2, retries={'max_attempts': 1})
keys = [(os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_SECRET_ACCESS_KEY']), ('S3RVER', 'S3RVER')]
def probe(port):
    names = []
    for key, secret in keys:
        try:
            # A session per probe: boto3's default session is not thread-safe (KeyError 'endpoint_resolver').
            s3 = boto3.session.Session().client('s3', endpoint_url=f'http://127.0.0.1:{port}', aws_access_key_id=key, aws_secret_access_key=secret, region_name='us-east-1', config=cfg)
            names += [b['Name'] for b in s3.list_buckets().get('Buckets', [])]
        except Exception:
            pass
    return {"port": port, "buckets": names}
from concurrent.futures import ThreadPoolExecutor
with ThreadPoolExecutor(16) as pool:
    out = list(pool.map(probe, sorted(ports)))
print(json.dumps(out))`, 300_000);
  assert.ok(result.length > 3, 'the scan saw the machine\'s listening ports');
  for (const r of result) {
    if (r.port === proxyPort) assert.deepEqual(r.buckets, [bucket.bucket], 'the proxy lists the tenant\'s own bucket only');
    else assert.deepEqual(r.buckets, [], `port ${r.port} answered an S3 bucket listing`);
  }
});

test('long keys and NUL bytes get 400s and the platform stays up', async () => {
  const got = await inKernel<Record<string, string>>(`
import os, json, boto3
s3 = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name='us-east-1')
b = os.environ['BUCKET']
out = {}
for name, key in [("segment300", "k" * 300), ("key1025", "a/" * 512 + "b"), ("nul", "bad\\x00key")]:
    try:
        s3.put_object(Bucket=b, Key=key, Body=b'x'); out[name] = "accepted"
    except Exception as e:
        out[name] = str(getattr(e, 'response', {}).get('Error', {}).get('Code') or type(e).__name__) + ":" + str(getattr(e, 'response', {}).get('ResponseMetadata', {}).get('HTTPStatusCode', ''))
s3.put_object(Bucket=b, Key='still/works.txt', Body=b'ok')
out["after"] = s3.get_object(Bucket=b, Key='still/works.txt')['Body'].read().decode()
print(json.dumps(out))`);
  assert.match(got.segment300, /:400$/, `a 300-character key: ${got.segment300}`);
  assert.equal(got.key1025, 'KeyTooLongError:400');
  assert.match(got.nul, /:400$|ParamValidation|InvalidURI/, `a NUL in a key: ${got.nul}`);
  assert.equal(got.after, 'ok');
  for (const path of ['/api/v1/catalog/entities?q=%00', '/api/v1/approvals/%00', '/api/v1/environments/%00x']) {
    const res = await fetch(platform.url + path, { headers: { authorization: `Bearer ${(await platform.cli(['token'])).stdout.trim()}` } });
    assert.equal(res.status, 400, `${path}: ${res.status} ${await res.text()}`);
  }
  const signIn = await fetch(`${platform.url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'dana\u0000', password: 'x' }) });
  assert.equal(signIn.status, 400);
  assert.equal((await fetch(`${platform.url}/api/v1/health`)).status, 200);
});

test('a 150 MB body is refused with 413 in under a second without the platform reading it', async () => {
  const pid = platform.process.pid!;
  const before = rssKb(pid);
  const { status, ms } = await postHuge(`${platform.url}/api/v1/sessions`, 150 * 1024 * 1024, true);
  assert.equal(status, 413);
  assert.ok(ms < 1000, `answered in ${ms.toFixed(0)} ms`);
  const grown = (rssKb(pid) - before) / 1024;
  assert.ok(grown < 50, `RSS grew by ${grown.toFixed(1)} MB`);
});

test('a role that lifts its own statement timeout is still cancelled at the granted limit', async () => {
  const got = await inKernel<{ seconds: number; error: string }>(`
import os, json, time, psycopg2
url = os.environ['WAREHOUSE_URL']
c = psycopg2.connect(url); c.autocommit = True
c.cursor().execute("ALTER ROLE CURRENT_USER SET statement_timeout = 0")
c.close()
c = psycopg2.connect(url); c.autocommit = True
cur = c.cursor()
cur.execute("SET statement_timeout = 0")
t = time.time(); err = ""
try:
    cur.execute("SELECT pg_sleep(60)")
except Exception as e:
    err = str(e).strip().split("\\n")[0]
print(json.dumps({"seconds": time.time() - t, "error": err}))`);
  assert.match(got.error, /cancel/i, 'the statement was cancelled');
  assert.ok(got.seconds < STATEMENT_LIMIT_MS / 1000 + 2.5, `cancelled after ${got.seconds.toFixed(1)} s (granted ${STATEMENT_LIMIT_MS / 1000} s)`);
});

test('one team exhausting its warehouse connections leaves another team able to log in', async () => {
  const opened = await inKernel<{ opened: number; refusal: string }>(`
import os, json, psycopg2
conns = []; refusal = ""
for i in range(400):
    try:
        conns.append(psycopg2.connect(os.environ['WAREHOUSE_URL'], connect_timeout=5))
    except Exception as e:
        refusal = str(e).strip().split("\\n")[0][:300]; break
globals()['held'] = conns
print(json.dumps({"opened": len(conns), "refusal": refusal}))`);
  assert.ok(opened.refusal, `the notebook was stopped at its own role's limit (${opened.opened} connections)`);
  // The rest of the team's environments take every slot the team has left.
  const clients: pg.Client[] = [];
  let teamRefusal = '';
  try {
    for (let i = 0; i < 12 && !teamRefusal; i++) {
      const sql = await platform.cliJson<EnvironmentView>(['launch', 'sql-data-querying', '--team', 'churn-analytics', '--name', `hog-${i}`, '--wait']);
      const url = outputsOf(sql, 'warehouse').url;
      for (;;) {
        const c = new pg.Client(url);
        try {
          await c.connect();
          clients.push(c);
        } catch (e) {
          const message = (e as Error).message;
          if (/team churn-analytics already has/.test(message)) teamRefusal = message;
          break; // this role's own limit, or the team's cap
        }
      }
    }
    assert.match(teamRefusal, /team churn-analytics already has \d+ warehouse connections \(its cap\)/, `the team was capped after ${clients.length + opened.opened} connections`);
    const res = await query(outputsOf(other, 'warehouse').url, 'SELECT current_user AS who');
    assert.match(res.rows[0].who, /^gp_/, 'another team still logs in');
    const admin = await query(platform.adminUrl('warehouse'), 'SELECT 1 AS ok');
    assert.equal(admin.rows[0].ok, 1, 'the platform still logs in');
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await inKernel<number>(`
import json
for c in globals().get('held', []): c.close()
print(json.dumps(0))`);
  }
});
