// Regenerates the typed API client's types from the platform's own OpenAPI document, so that
// `tsc` fails the build when the API and the portal disagree. Runs before every build.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = fileURLToPath(new URL('../src/api/schema.ts', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const doc = JSON.parse(execFileSync(npm, ['run', '-s', 'openapi'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
const ast = await openapiTS(doc);
const text = `// Generated from the platform's OpenAPI document by portal/scripts/gen-api.ts: do not edit.\n${astToString(ast)}`;
let before = '';
try {
  before = readFileSync(out, 'utf8');
} catch {}
if (before !== text) {
  writeFileSync(out, text);
  console.log('portal: API types regenerated (src/api/schema.ts)');
}
