import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

// Issue 9: a command loads only what it uses. The import command sends files as they are; parsing
// them (js-yaml, zod, the engine) is the server's job, and must not slow the CLI's start.
test('goldpath catalog import loads no YAML parser, no validator and nothing of the engine', () => {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });
    await import(${JSON.stringify(new URL('./catalog-import.ts', import.meta.url).href)});
    console.log(JSON.stringify(seen));`;
  const seen = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[];
  assert.ok(seen.some((u) => u.endsWith('/descriptor-files.ts')), 'the hook saw the imports');
  const heavy = seen.filter((u) => /node_modules\/(js-yaml|yaml|zod)\/|\/src\/engine\/|\/src\/domain\/catalog\/(parse|entity|kinds|placeholders)\.ts/.test(u));
  assert.deepEqual(heavy, []);
});
