// How the benchmarks tell that a launched resource works: each probed the way its user reaches
// it (git over HTTP with the repo's credentials, a PostgreSQL URI with a query, the bucket with its
// keys, a web resource through the front door with the owner's API token).
import pg from 'pg';
import { S3Client, HeadBucketCommand } from '@aws-sdk/client-s3';

/** Started on first open, not by the launch: a launch is ready without them, and probing one would start it. */
export const startedOnFirstOpen = new Set(['ide']);

export interface Outputs { url?: string; username?: string; password?: string; bucket?: string; accessKeyId?: string; secretAccessKey?: string }

/** Whether one resource answers at its URL, as its user reaches it. */
export async function answers(type: string, o: Outputs, token: string): Promise<boolean> {
  if (!o.url) return true;
  if (o.url.startsWith('postgres')) {
    const c = new pg.Client(o.url);
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } finally {
      await c.end().catch(() => {});
    }
  }
  if (type === 'bucket') {
    const s3 = new S3Client({ endpoint: o.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: o.accessKeyId!, secretAccessKey: o.secretAccessKey! } });
    await s3.send(new HeadBucketCommand({ Bucket: o.bucket! }));
    return true;
  }
  if (type === 'git-repo') {
    const u = new URL(o.url);
    const res = await fetch(`${u.origin}${u.pathname}/info/refs?service=git-upload-pack`, { headers: { authorization: 'Basic ' + Buffer.from(`${o.username}:${o.password}`).toString('base64') } });
    await res.arrayBuffer();
    return res.status === 200;
  }
  if (!o.url.startsWith('http')) return true; // e.g. redis://: not a URL a person follows
  const res = await fetch(type === 'service' ? `${o.url}health` : o.url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status < 400;
}
