import type { Resource } from '../api/client.ts';

export interface Snippet {
  id: string;
  label: string;
  language: string;
  /** The text to copy (real credentials). */
  code: string;
  /** The text to show until the person asks for credentials. */
  masked: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));

/** Replaces every secret in `text` with dots, so a snippet can be read without exposing them. */
function maskAll(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets.filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join('••••••••');
  return out;
}

/** Ready-to-paste snippets for the resources an environment has. */
export function snippetsFor(resources: Resource[]): Snippet[] {
  const out: Snippet[] = [];
  const secrets = resources.flatMap((r) => ['password', 'secretAccessKey', 'token'].map((k) => str(r.outputs[k])).filter(Boolean));
  const add = (s: Omit<Snippet, 'masked'>) => out.push({ ...s, masked: maskAll(s.code, secrets) });

  const hasNotebook = resources.some((x) => x.type === 'notebook');
  for (const r of resources.filter((x) => x.status === 'ready')) {
    const o = r.outputs;
    if (r.type === 'warehouse' || r.type === 'database') {
      const url = str(o.url);
      if (!url) continue;
      const schemas = Array.isArray(o.schemas) ? (o.schemas as unknown[]).map(str) : [];
      const dataSchema = schemas.find((s) => !s.startsWith('scratch')) ?? 'public';
      const table = r.type === 'warehouse' ? `${dataSchema}.customers` : 'information_schema.tables';
      const sqlalchemyUrl = url.replace(/^postgres(ql)?:\/\//, 'postgresql+psycopg2://');
      add({
        id: `${r.id}-pandas`,
        label: 'pandas + SQLAlchemy',
        language: 'python',
        code: [
          // Only a path with a notebook has one to mention (the SQL path has none).
          hasNotebook ? '# pip install pandas sqlalchemy psycopg2-binary  (already in this environment\'s notebook)' : '# pip install pandas sqlalchemy psycopg2-binary',
          'import pandas as pd',
          'from sqlalchemy import create_engine',
          '',
          `engine = create_engine("${sqlalchemyUrl}")`,
          `df = pd.read_sql("SELECT * FROM ${table} LIMIT 100", engine)`,
          'print(df.head())',
        ].join('\n'),
      });
      add({ id: `${r.id}-psql`, label: 'psql', language: 'bash', code: `psql "${url}"${r.type === 'warehouse' ? ` -c "SELECT count(*) FROM ${table}"` : ''}` });
    }
    if (r.type === 'bucket') {
      const endpoint = str(o.endpoint || o.url);
      const bucket = str(o.bucket);
      add({
        id: `${r.id}-boto3`,
        label: 'boto3',
        language: 'python',
        code: [
          '# pip install boto3',
          'import boto3',
          'from botocore.config import Config',
          '',
          's3 = boto3.client(',
          '    "s3",',
          `    endpoint_url="${endpoint}",`,
          `    aws_access_key_id="${str(o.accessKeyId)}",`,
          `    aws_secret_access_key="${str(o.secretAccessKey)}",`,
          `    region_name="${str(o.region) || 'us-east-1'}",`,
          '    config=Config(s3={"addressing_style": "path"}),  # the endpoint serves buckets by path',
          ')',
          `s3.put_object(Bucket="${bucket}", Key="hello.txt", Body=b"hello")`,
          `print([o["Key"] for o in s3.list_objects_v2(Bucket="${bucket}").get("Contents", [])])`,
        ].join('\n'),
      });
    }
    if (r.type === 'git-repo') {
      const url = str(o.url);
      if (url) add({ id: `${r.id}-git`, label: 'git clone', language: 'bash', code: `git clone "${url}" ${str(o.name) || r.id}` });
    }
  }
  const order = ['pandas', 'psql', 'boto3', 'git'];
  const rank = (x: Snippet) => order.findIndex((o) => x.id.endsWith(o));
  return out.sort((a, b) => rank(a) - rank(b));
}

/** Output keys that carry a credential, shown only when asked for. */
export function isSecretOutput(key: string, value: string): boolean {
  if (key === 'accessKeyId') return false;
  if (/password|secret|token|apikey|api_key/i.test(key)) return true;
  return /\/\/[^/@\s]+:[^@\s]+@/.test(value) || /[?&]token=/.test(value);
}
