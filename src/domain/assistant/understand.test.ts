import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testSet } from './sentences.test-set.ts';
import { needsEnvironments, understand } from './understand.ts';
import { judge } from './judge.ts';
import { testKnown } from '../../engine/assistant/test-known.ts';

const known = testKnown();

test('the test set has at least 150 sentences, every intent among them', () => {
  assert.ok(testSet.length >= 150, `${testSet.length} sentences`);
  for (const intent of ['launch', 'docs', 'spend', 'catalog', 'listEnvironments', 'stopEnvironment', 'startEnvironment', 'deleteEnvironment', 'explainRefusal', 'unknown']) {
    assert.ok(testSet.some((s) => s.intent === intent), intent);
  }
});

test('the offline parser understands at least 95 % of the test set', () => {
  const wrong: string[] = [];
  for (const s of testSet) {
    const why = judge(s, understand(s.text, known));
    if (why) wrong.push(`"${s.text}": ${why}`);
  }
  const accuracy = (testSet.length - wrong.length) / testSet.length;
  assert.ok(accuracy >= 0.95, `accuracy ${(accuracy * 100).toFixed(1)} % (${wrong.length} wrong):\n${wrong.join('\n')}`);
  if (wrong.length) console.log(`accuracy ${(accuracy * 100).toFixed(1)} %; wrong:\n${wrong.join('\n')}`);
});

test('every unknown request becomes a question, never an action', () => {
  for (const s of testSet.filter((x) => x.intent === 'unknown')) {
    const u = understand(s.text, known);
    assert.ok(u.question, `"${s.text}" became ${u.intent} without a question`);
    assert.equal(u.intent, 'unknown', `"${s.text}" became ${u.intent}`);
  }
});

test('a path file that is not shipped is understood from its own words, with no code change', async () => {
  const { readPathFacts, shippedPathsDir } = await import('../../engine/assistant/test-known.ts');
  const fixtures = new URL('../../engine/assistant/fixtures/', import.meta.url).pathname;
  const withRag = testKnown([...readPathFacts(shippedPathsDir), ...readPathFacts(fixtures)]);
  for (const text of ['launch a RAG chatbot over our documents', 'I want retrieval augmented generation with embeddings', 'spin up a genai rag environment with corpus=policies']) {
    const u = understand(text, withRag);
    assert.equal(u.intent, 'launch', text);
    assert.equal(u.slots.path, 'genai-rag', `${text}: ${JSON.stringify(u)}`);
  }
  assert.deepEqual(understand('spin up a genai rag environment with corpus=policies', withRag).slots.params, { corpus: 'policies' });
  assert.equal(understand('how do I use the rag path', withRag).slots.path, 'genai-rag');
  // Without the file, the same sentence is not matched to anything.
  assert.notEqual(understand('launch a RAG chatbot over our documents', known).slots.path, 'genai-rag');
});

test('an answer to a question fills the slot it asked for', () => {
  const first = understand('I need to work on real customer data', known);
  assert.equal(first.pending?.expects, 'reason');
  const second = understand('because the retention team needs a churn forecast', { ...known, pending: first.pending });
  assert.equal(second.intent, 'launch');
  assert.equal(second.slots.path, 'data-science-customer-data');
  assert.equal(second.slots.reason, 'the retention team needs a churn forecast');
  assert.equal(second.question, undefined);
  const which = understand('launch something', known);
  assert.equal(which.pending?.expects, 'path');
  const picked = understand(which.choices![0].text, known);
  assert.equal(picked.intent, 'launch');
  assert.ok(picked.slots.path);
});

test('choices never act: each is a sentence that, sent back, is understood as what it says', () => {
  for (const text of ['stop my environment', 'delete all of them', 'launch an environment', 'show the docs']) {
    const u = understand(text, known);
    assert.ok(u.question && u.choices?.length, text);
    for (const c of u.choices!) {
      const again = understand(c.text, known);
      assert.equal(again.intent, u.intent, `${c.text}`);
    }
  }
});

test('a sentence said not to need the caller\'s environments is understood the same without them', () => {
  let skipped = 0;
  for (const s of testSet) {
    if (needsEnvironments(s.text, known)) continue;
    skipped++;
    assert.deepEqual(understand(s.text, { ...known, environments: [] }), understand(s.text, known), s.text);
  }
  assert.ok(skipped > 50, `${skipped} sentences need no environments`);
});
