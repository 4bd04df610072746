import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, secretValues } from './redact.ts';

test('passwords in URLs, secret-named fields and tokens are found and masked', () => {
  const secrets = secretValues({
    url: 'postgres://role:s3cr3tpass@127.0.0.1:5432/warehouse',
    secretAccessKey: 'abcdEFGH1234',
    notebook: 'http://127.0.0.1:8888/tree?token=tok123456',
  });
  const message = 'failed for postgres://role:s3cr3tpass@127.0.0.1 with key abcdEFGH1234 and tok123456';
  const out = redact(message, secrets);
  assert.ok(!out.includes('s3cr3tpass') && !out.includes('abcdEFGH1234') && !out.includes('tok123456'), out);
});

test('credentials in a URL nobody told us about are masked too', () => {
  assert.equal(redact('clone http://u:pw@host/x.git failed', []), 'clone http://u:***@host/x.git failed');
});
