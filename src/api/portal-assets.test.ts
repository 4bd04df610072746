import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { mountPortal } from './portal-assets.ts';

const script = 'console.log("the portal");\n'.repeat(200);

function portal() {
  const dist = mkdtempSync(join(tmpdir(), 'portal-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Goldpath</title>');
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), script);
  writeFileSync(join(dist, 'assets', 'app-abc123.js.br'), brotliCompressSync(script));
  writeFileSync(join(dist, 'assets', 'app-abc123.js.gz'), gzipSync(script));
  const app = new Hono<never>();
  mountPortal(app, dist);
  return { app, done: () => rmSync(dist, { recursive: true, force: true }) };
}

test('assets go out brotli- or gzip-compressed as the browser accepts, and as they are otherwise', async () => {
  const { app, done } = portal();
  try {
    const br = await app.request('/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.match(br.headers.get('content-type') ?? '', /javascript/);
    assert.match(br.headers.get('vary') ?? '', /accept-encoding/i);
    assert.equal(br.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const brBody = Buffer.from(await br.arrayBuffer());
    assert.ok(brBody.length < script.length / 10, `compressed: ${brBody.length} bytes of ${script.length}`);
    assert.equal(brotliDecompressSync(brBody).toString(), script);

    const gz = await app.request('/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), script);

    const plain = await app.request('/assets/app-abc123.js');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), script);
  } finally {
    done();
  }
});

test('deep links get index.html, never cached, and API paths are not the portal', async () => {
  const { app, done } = portal();
  try {
    const page = await app.request('/environments/e1a2');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(await page.text(), /<title>Goldpath/);
    assert.equal((await app.request('/api/v1/nothing-here')).status, 404);
  } finally {
    done();
  }
});
