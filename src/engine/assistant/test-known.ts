import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { kindNames } from '../../domain/catalog/kinds.ts';
import type { Known } from '../../domain/assistant/understand.ts';
import { intentWords } from '../../domain/assistant/understand.ts';
import { buildVocabulary, pathFacts } from '../../domain/assistant/vocabulary.ts';
import type { PathFacts } from '../../domain/assistant/schema.ts';

/**
 * What the test set (src/domain/assistant/sentences.test-set.ts) is understood against: the path
 * files of a folder (the shipped library by default) read as the platform reads them, the demo
 * teams, every catalog kind, dana's three environments and a fixed date. For tests and the bench.
 */
export const shippedPathsDir = fileURLToPath(new URL('../../../paths/', import.meta.url));

export function readPathFacts(dir: string): PathFacts[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => {
    const p = parse(readFileSync(join(dir, f), 'utf8')) as { metadata: Record<string, never>; spec: Record<string, never> };
    return pathFacts({
      name: p.metadata.name, title: p.metadata.title, description: p.metadata.description, tags: p.metadata.tags ?? [], use: p.metadata.use ?? null,
      audience: p.metadata.audience, dataClass: p.spec.dataClass ?? null, approval: p.spec.approval ?? 'none',
      resources: Object.values(p.spec.resources as Record<string, { type: string }>), parameters: p.spec.parameters ?? {},
    });
  });
}

export const demoTeams = [{ id: 'churn-analytics', title: 'Churn Analytics' }, { id: 'payments', title: 'Payments' }, { id: 'web', title: 'Web' }];

export function testKnown(paths: PathFacts[] = readPathFacts(shippedPathsDir)): Known {
  return {
    vocabulary: buildVocabulary({ paths, teams: demoTeams, kinds: [...kindNames], catalogWords: ['customers', 'accounts', 'cards', 'products', 'transactions', 'checkout'] }, intentWords),
    user: { id: 'dana', team: 'churn-analytics' },
    now: new Date('2026-12-02T12:00:00Z'),
    environments: [
      { id: 'eaaaaaaaa1', name: 'churn-notebook', path: 'data-science-experimentation', status: 'ready', resourceTypes: ['git-repo', 'warehouse', 'bucket', 'notebook', 'ide'] },
      { id: 'ebbbbbbbb2', name: 'my-blog', path: 'website', status: 'stopped', resourceTypes: ['git-repo', 'site-preview'] },
      { id: 'ecccccccc3', name: 'orders-api', path: 'java-microservice', status: 'ready', resourceTypes: ['git-repo', 'database', 'service'] },
    ],
  };
}
