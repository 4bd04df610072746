import type { PathFacts, TeamFacts } from './schema.ts';
import { commonWords, editDistance, parts, shortTypos, stem, stopWords, tokenize, typoAllowance } from './words.ts';

/**
 * The words the assistant knows, built at run time from the path files (names, titles, tags,
 * descriptions, `use`, audience, data class, resource types, parameters) and the catalog (its
 * kinds) and teams. A new path file is understood without a code change: its own words are its
 * vocabulary. The lexicon below only maps everyday words onto the facets a path declares
 * ("jupyter" onto the `notebook` resource type, "customer data" onto the `sensitive` data class).
 */

/** Everyday words for the resource types a path provisions. */
const resourceWords: Record<string, string[]> = {
  notebook: ['notebook', 'jupyter', 'python', 'ipython', 'pandas', 'lab'],
  ide: ['ide', 'vscode', 'vs', 'editor', 'code-server', 'pycharm'],
  'git-repo': ['repo', 'repository', 'git', 'code'],
  warehouse: ['warehouse', 'sql', 'table', 'query', 'dataset'],
  bucket: ['bucket', 'storage', 's3', 'file'],
  'site-preview': ['website', 'site', 'web', 'page', 'static', 'html', 'blog', 'homepage', 'landing', 'preview', 'frontend'],
  database: ['database', 'postgres', 'postgresql', 'db', 'jdbc'],
  service: ['service', 'microservice', 'api', 'backend', 'server', 'rest', 'endpoint'],
  cache: ['cache', 'redis'],
  llm: ['llm', 'gpt', 'genai', 'chatbot', 'prompt', 'language'],
  schedule: ['schedule', 'cron', 'batch', 'job', 'pipeline'],
};

/** Everyday words for a path's `use`. */
const useWords: Record<string, string[]> = {
  experimentation: ['experiment', 'explore', 'exploration', 'prototype', 'model', 'machine', 'learn', 'ml', 'train', 'science', 'scientist', 'research'],
  querying: ['query', 'sql', 'report', 'analysis', 'dashboard', 'bi', 'select'],
  web: ['website', 'site', 'web', 'blog', 'page'],
  service: ['service', 'microservice', 'api', 'backend', 'app', 'application'],
  genai: ['genai', 'generative', 'ai', 'llm', 'gpt', 'chatbot', 'prompt'],
  ml: ['ml', 'machine', 'learn', 'model', 'train', 'inference'],
};

/** Everyday words for the audience. */
const audienceWords: Record<string, string[]> = {
  data: ['data', 'scientist', 'analyst', 'analysis'],
  software: ['software', 'app', 'application', 'developer', 'code', 'program'],
};

/**
 * The sensitivity words that choose a data class. Kept apart from path matching: a sentence that
 * names none of them is never matched to a path with sensitive data (it would need approval).
 */
export const sensitivityWords: Record<'sensitive' | 'masked' | 'synthetic', string[]> = {
  sensitive: ['customer', 'real', 'pii', 'personal', 'raw', 'sensitive', 'production', 'governed', 'identifiable', 'confidential', 'unmasked', 'client'],
  masked: ['masked', 'mask', 'anonymised', 'anonymized', 'redacted', 'pseudonymised', 'pseudonymized', 'obfuscated', 'hashed'],
  synthetic: ['synthetic', 'fake', 'generated', 'sample', 'dummy', 'mock', 'toy', 'artificial'],
};

/** Catalog kinds by everyday word; only kinds the catalog has are kept. */
const kindWords: Record<string, string[]> = {
  Dataset: ['dataset', 'data', 'table', 'datasource', 'column'],
  DataProduct: ['product'],
  API: ['api', 'endpoint', 'openapi'],
  Component: ['service', 'microservice', 'component', 'website', 'library', 'app', 'application'],
  Model: ['model'],
  FeatureView: ['feature'],
  Group: ['team', 'group'],
  User: ['user', 'person', 'people', 'colleague'],
  System: ['system'],
  Domain: ['domain'],
  GoldenPath: ['path', 'template', 'recipe'],
  Resource: ['resource', 'bucket', 'database'],
};

export interface PathTerms {
  facts: PathFacts;
  /** stem → weight (already scaled by how rare the stem is among paths). */
  terms: Map<string, number>;
  /** The path's name and title as stems, to recognise it named outright. */
  nameStems: string[][];
}

export interface Vocabulary {
  paths: PathTerms[];
  teams: TeamFacts[];
  /** stem → catalog kind. */
  kinds: Map<string, string>;
  /** Every word the assistant could make sense of, as typed forms → their corrected form. */
  known: Set<string>;
  /** Known words by first letter, for typo correction. */
  byLetter: Map<string, string[]>;
}

const contentStems = (text: string): string[] => tokenize(text).flatMap(parts).filter((w) => !stopWords.has(w)).map(stem);

/** Builds the vocabulary; `extraWords` are the intent words the parser knows, so typos of them are corrected too. */
export function buildVocabulary(source: { paths: PathFacts[]; teams: TeamFacts[]; kinds: string[]; catalogWords?: string[] }, extraWords: Iterable<string> = []): Vocabulary {
  const weighted = source.paths.map((p) => {
    const t = new Map<string, number>();
    const add = (words: string[], weight: number) => {
      for (const w of words) t.set(w, Math.max(t.get(w) ?? 0, weight));
    };
    add(contentStems(p.description), 0.7);
    add((audienceWords[p.audience] ?? [p.audience]).map(stem), 1);
    for (const type of p.resourceTypes) add([...parts(type), ...(resourceWords[type] ?? [])].map(stem), 1.5);
    if (p.use) add([...contentStems(p.use), ...(useWords[p.use] ?? []).map(stem)], 2);
    add(p.tags.flatMap(parts).map(stem), 2.5);
    add(contentStems(p.title), 3);
    add(parts(p.name).map(stem), 3);
    return { facts: p, terms: t, nameStems: [parts(p.name).map(stem), contentStems(p.title)] };
  });
  // A stem most paths share tells them apart less than one only a single path has.
  const df = new Map<string, number>();
  for (const p of weighted) for (const s of p.terms.keys()) df.set(s, (df.get(s) ?? 0) + 1);
  const n = Math.max(1, weighted.length);
  for (const p of weighted) for (const [s, w] of p.terms) p.terms.set(s, w * Math.log2(1 + n / df.get(s)!));

  const kinds = new Map<string, string>();
  for (const k of source.kinds) {
    kinds.set(stem(k.toLowerCase()), k);
    for (const w of kindWords[k] ?? []) kinds.set(stem(w), k);
  }
  const known = new Set<string>([...extraWords, ...stopWords, ...(source.catalogWords ?? []).flatMap((x) => tokenize(x).flatMap(parts)).flatMap((x) => [x, stem(x)])]);
  for (const p of weighted) {
    for (const s of p.terms.keys()) known.add(s);
    for (const w of [p.facts.name, p.facts.title, p.facts.description, ...p.facts.tags].flatMap((x) => tokenize(x).flatMap(parts))) known.add(w);
  }
  for (const t of source.teams) for (const w of [...parts(t.id), ...tokenize(t.title)]) known.add(w);
  for (const w of Object.values(sensitivityWords).flat()) known.add(w);
  for (const [k, ws] of Object.entries(kindWords)) {
    known.add(k.toLowerCase());
    for (const w of ws) known.add(w);
  }
  for (const ws of [...Object.values(resourceWords), ...Object.values(useWords)]) for (const w of ws) known.add(w);
  const byLetter = new Map<string, string[]>();
  for (const w of known) {
    if (w.length < 4) continue;
    const list = byLetter.get(w[0]) ?? [];
    list.push(w);
    byLetter.set(w[0], list);
  }
  return { paths: weighted, teams: source.teams, kinds, known, byLetter };
}

/**
 * A typed word, corrected to the nearest known word when it is a typo of one ("notebok",
 * "sepnd"). Words the vocabulary has, short words and names with digits are left as typed.
 */
export function correct(word: string, v: Vocabulary): string {
  if (shortTypos[word]) return shortTypos[word];
  if (v.known.has(word) || v.known.has(stem(word)) || commonWords.has(word) || /\d/.test(word)) return word;
  const allowed = typoAllowance(word);
  if (allowed === 0) return word;
  let best = word;
  let bestDistance = allowed + 1;
  // Typos rarely change the first letter; when they do, a swap with the second is the usual one.
  const firsts = new Set([word[0], word[1]]);
  for (const f of firsts) {
    for (const k of v.byLetter.get(f) ?? []) {
      // A four-letter word is only ever missing a letter ("spnd"): swapping one would turn "went" into "want".
      if (word.length === 4 && !(k.length === 5 || (k.length === 4 && [...k].sort().join('') === [...word].sort().join('')))) continue;
      const d = editDistance(word, k, allowed);
      if (d < bestDistance || (d === bestDistance && k.length === word.length && best.length !== word.length)) {
        best = k;
        bestDistance = d;
      }
    }
  }
  return bestDistance <= allowed ? best : word;
}

export interface PathMatch { path: PathFacts; score: number; named: boolean }

/** How well each path matches the sentence's stems, best first; `named` when its name or title is said outright. */
export function matchPaths(stems: string[], v: Vocabulary, rawText: string): PathMatch[] {
  const said = new Set(stems);
  const lower = ` ${rawText.toLowerCase()} `;
  return v.paths
    .map((p) => {
      let score = 0;
      for (const s of said) score += p.terms.get(s) ?? 0;
      const named = lower.includes(p.facts.name) || p.nameStems.some((ns) => ns.length > 0 && containsRun(stems, ns));
      return { path: p.facts, score: score + (named ? 20 : 0), named };
    })
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score);
}

/** Whether `run` appears in `words` in order (other words may sit between, as in "data science with customer data"). */
function containsRun(words: string[], run: string[]): boolean {
  if (run.length < 2 && run[0] && run[0].length < 5) return false;
  let i = 0;
  for (const w of words) if (w === run[i] && ++i === run.length) return true;
  return false;
}

/** The data class the sentence asks for, if it says one. */
export function sensitivityOf(words: string[]): 'sensitive' | 'masked' | 'synthetic' | undefined {
  // "customer" alone is a topic ("which customers churn"); "customer data" asks for the data itself.
  const dataNoun = /^(data|record|records|information|info|row|rows|detail|details|account|accounts|transaction|transactions|pii|table|tables)$/;
  const has = (c: keyof typeof sensitivityWords) => words.some((w, i) => sensitivityWords[c].includes(w)
    && (!['customer', 'client'].includes(w) || dataNoun.test(words[i + 1] ?? '') || dataNoun.test(words[i + 2] ?? '')));
  if (has('synthetic')) return 'synthetic';
  if (has('masked')) return 'masked';
  if (has('sensitive')) return 'sensitive';
  return undefined;
}

/** A path as GET /api/v1/paths lists it, reduced to what the vocabulary reads. */
export interface PathSummaryLike {
  name: string; title: string; description: string; tags: string[]; use: string | null; audience: string;
  dataClass: string | null; approval: string; resources: { type: string }[]; parameters: Record<string, unknown>;
}

export function pathFacts(p: PathSummaryLike): PathFacts {
  const props = ((p.parameters as { properties?: Record<string, { title?: string; type?: string; pattern?: string }> }).properties) ?? {};
  return {
    name: p.name, title: p.title, description: p.description, tags: p.tags, use: p.use, audience: p.audience, dataClass: p.dataClass,
    approval: p.approval, resourceTypes: [...new Set(p.resources.map((r) => r.type))],
    parameters: Object.entries(props).map(([name, s]) => ({ name, title: s.title ?? null, type: s.type ?? null, pattern: s.pattern ?? null })),
  };
}
