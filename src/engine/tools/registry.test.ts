import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { formatRegistryError, loadRegistry, parseRegistry, RegistryFileError, toolProviding } from './registry.ts';

const shipped = fileURLToPath(new URL('../../../policies/registry.yaml', import.meta.url));

const valid = `version: 1
tools:
  jupyter:
    category: notebook
    licence: BSD-3-Clause
    support: community
    provides: [notebook]
models:
  small-model:
    licence: Apache-2.0
    support: community
    trainedOnCopyrightedData: false
    trainingData: Openly licensed text.
`;

test('the shipped registry loads and names a tool for every resource type the built-in drivers run', () => {
  const registry = loadRegistry(shipped);
  for (const type of ['git-repo', 'notebook', 'bucket', 'warehouse']) assert.ok(toolProviding(registry, type), `no tool provides ${type}`);
  assert.ok(Object.values(registry.models).some((m) => m.trainedOnCopyrightedData), 'an example of a refused model');
});

test('a wrong support model is reported with its field and its line', () => {
  const r = parseRegistry(valid.replace('support: community\n    provides', 'support: best-effort\n    provides'), 'registry.yaml');
  assert.ok('errors' in r);
  assert.equal(formatRegistryError(r.errors[0]), 'registry.yaml:6: tools.jupyter.support: must be one of vendor, community, internal, none');
});

test('a model without its training-data provenance is refused at the model', () => {
  const r = parseRegistry(valid.replace('    trainedOnCopyrightedData: false\n', ''), 'registry.yaml');
  assert.ok('errors' in r);
  assert.equal(r.errors[0].field, 'models.small-model.trainedOnCopyrightedData');
  assert.equal(r.errors[0].line, 10); // the model's first line
  assert.match(r.errors[0].message, /true or false/);
});

test('an unknown field is named on its own line', () => {
  const r = parseRegistry(valid.replace('    licence: BSD-3-Clause\n', '    licence: BSD-3-Clause\n    colour: blue\n'), 'registry.yaml');
  assert.ok('errors' in r);
  assert.equal(formatRegistryError(r.errors[0]), 'registry.yaml:6: tools.jupyter: unknown field "colour"');
});

test('two tools providing one resource type are refused at the second', () => {
  const r = parseRegistry(`${valid.replace('models:', `  lab:
    category: notebook
    licence: MIT
    support: vendor
    provides: [notebook]
models:`)}`, 'registry.yaml');
  assert.ok('errors' in r);
  assert.equal(formatRegistryError(r.errors[0]), 'registry.yaml:12: tools.lab.provides: resource type "notebook" is already provided by tool "jupyter"; one tool per resource type');
});

test('broken YAML and a missing file say where', () => {
  const r = parseRegistry('version: 1\ntools:\n  a: [\n', 'registry.yaml');
  assert.ok('errors' in r);
  assert.match(formatRegistryError(r.errors[0]), /^registry\.yaml:\d+: not valid YAML/);
  assert.throws(() => loadRegistry('/nonexistent/registry.yaml'), (e: unknown) => e instanceof RegistryFileError && /registry\.yaml: cannot be read \(ENOENT\)/.test(e.message));
});
