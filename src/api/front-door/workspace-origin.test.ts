import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originOf, workspaceDomainFor, workspaceOfHost } from './workspace-origin.ts';

const o = { platformOrigin: 'http://127.0.0.1:7300', domain: 'localhost' };

test('a workspace origin names its resource and environment, and its Host header is read back to them', () => {
  assert.equal(originOf(o, { environmentId: 'eabc123xyz', resourceId: 'notebook' }), 'http://notebook--eabc123xyz.localhost:7300');
  assert.deepEqual(workspaceOfHost(o, 'notebook--eabc123xyz.localhost:7300'), { environmentId: 'eabc123xyz', resourceId: 'notebook' });
  assert.deepEqual(workspaceOfHost(o, 'Site-Preview--eabc123xyz.LOCALHOST:7300'), { environmentId: 'eabc123xyz', resourceId: 'site-preview' }, 'host names are case-insensitive; dashes in the resource id are kept');
});

test('anything else is the platform\'s own origin, never a workspace', () => {
  for (const host of [undefined, '127.0.0.1:7300', 'localhost:7300', 'notebook--eabc123xyz.localhost:7301', 'notebook--eabc123xyz.localhost', 'notebook--eabc123xyz.evil.example:7300',
    'a.notebook--eabc123xyz.localhost:7300', 'notebook-eabc123xyz.localhost:7300', '--eabc123xyz.localhost:7300', 'notebook--E-1.localhost:7300']) {
    assert.equal(workspaceOfHost(o, host), null, String(host));
  }
});

test('the workspace domain is localhost unless one is configured (wildcard DNS)', () => {
  assert.equal(workspaceDomainFor('127.0.0.1', undefined), 'localhost');
  assert.equal(workspaceDomainFor('0.0.0.0', '.WS.Example.org.'), 'ws.example.org');
  const shared = { platformOrigin: 'https://goldpath.example.org', domain: 'ws.example.org' };
  assert.equal(originOf(shared, { environmentId: 'e1', resourceId: 'ide' }), 'https://ide--e1.ws.example.org');
  assert.deepEqual(workspaceOfHost(shared, 'ide--e1.ws.example.org'), { environmentId: 'e1', resourceId: 'ide' });
});
