import { findPeriod } from './period.ts';
import type { Choice, EnvironmentFacts, Intent, Pending, PathFacts, Slots, Understanding } from './schema.ts';
import { correct, matchPaths, sensitivityOf, type PathMatch, type Vocabulary } from './vocabulary.ts';
import { parts, stem, stopWords, tokenize } from './words.ts';

/**
 * The offline understanding: a sentence in, an intent with slots out, or a question with choices.
 * Deterministic (the same sentence and vocabulary give the same answer) and without I/O: what it
 * knows of the platform comes in `Known`. It never guesses: an unknown or ambiguous request gets a
 * question; what creates or destroys is only ever proposed (the caller confirms).
 */

export interface Known {
  vocabulary: Vocabulary;
  user: { id: string; team: string };
  /** The caller's environments, to resolve "my notebook", a name or an id. */
  environments: EnvironmentFacts[];
  now: Date;
  /** The slot the previous answer asked for, which this sentence fills. */
  pending?: Pending;
}

// Intent words, as stems. They are part of the vocabulary too, so typos of them are corrected.
const cue = {
  launch: ['launch', 'create', 'spin', 'provision', 'setup', 'set', 'make', 'build', 'new', 'deploy', 'bootstrap', 'prepare', 'request', 'begin', 'initiate', 'need', 'want', 'give', 'get', 'open', 'fire', 'stand', 'like', 'start', 'kick'],
  strongLaunch: ['launch', 'create', 'spin', 'provision', 'setup', 'deploy', 'bootstrap', 'initiate', 'fire', 'stand'],
  // Matched on words, not stems: "documents" are not "documentation".
  docs: ['doc', 'docs', 'documentation', 'guide', 'guides', 'tutorial', 'tutorials', 'howto', 'readme', 'manual', 'walkthrough'],
  docsWithPath: ['instruction', 'instructions', 'explain', 'describe', 'doc', 'docs', 'documentation', 'guide', 'guides', 'tutorial', 'tutorials', 'howto', 'readme', 'manual', 'walkthrough'],
  spend: ['spend', 'cost', 'usage', 'bill', 'billing', 'money', 'budget', 'expensive', 'charge', 'price', 'paid', 'pay', 'invoice', 'itemise', 'itemize', 'itemised', 'itemized', 'euro', 'dollar', 'expense', 'afford', 'burn', 'consumption', 'consume'],
  refusal: ['refuse', 'deny', 'reject', 'fail', 'block', 'forbid', 'forbidden', 'disallow', 'decline', 'allow', 'permit', 'denial', 'refusal', 'rejection', 'wrong', 'stuck', 'not', 'cannot'],
  stop: ['stop', 'pause', 'halt', 'suspend', 'shut', 'shutdown', 'sleep', 'park', 'freeze', 'idle'],
  start: ['start', 'resume', 'restart', 'wake', 'unpause', 'reopen', 'boot', 'revive', 'reactivate', 'turn', 'continue'],
  delete: ['delete', 'remove', 'destroy', 'teardown', 'tear', 'drop', 'kill', 'trash', 'erase', 'wipe', 'decommission', 'rid', 'deprovision', 'terminate', 'nuke', 'clean', 'dispose', 'scrap', 'bin'],
  find: ['find', 'search', 'look', 'locate', 'discover', 'browse', 'catalog', 'catalogue', 'lookup', 'exist', 'available', 'where'],
  list: ['list', 'show', 'see', 'display', 'view', 'what', 'which', 'running', 'enumerate', 'overview', 'status', 'check'],
  envNoun: ['environment', 'env', 'workspace', 'instance', 'launch', 'sandbox', 'stuff', 'thing', 'run'],
  pathNoun: ['path', 'golden', 'template', 'recipe', 'offer', 'option', 'launchable', 'blueprint'],
  all: ['all', 'every', 'everything', 'them', 'each', 'both'],
} as const;
export const intentWords: string[] = [...new Set(Object.values(cue).flat()), 'why', 'how', 'much', 'who', 'itemised', 'breakdown', 'team', 'because', 'called', 'named', 'daily', 'resource', 'user', 'quarter', 'month', 'week', 'year', 'since', 'last', 'today', 'yesterday', 'refused', 'denied', 'rejected', 'failed', 'blocked', 'stopped', 'started', 'deleted'];

const has = (stems: string[], list: readonly string[]) => stems.some((s) => list.includes(s));

interface Words {
  raw: string;
  typed: string[];
  /** Typos corrected. */
  words: string[];
  stems: string[];
  content: string[];
}

function read(text: string, v: Vocabulary): Words {
  const typed = tokenize(text);
  const words = typed.map((w) => correct(w, v));
  const stems = words.flatMap((w) => (/[a-z]-[a-z]/.test(w) && !v.known.has(w) ? parts(w) : [w])).map(stem);
  return { raw: text, typed, words, stems, content: stems.filter((s) => !stopWords.has(s)) };
}

/**
 * Whether understanding this sentence can depend on the caller's environments (it stops, starts,
 * deletes or lists, or names an id): the API reads them only then.
 */
export function needsEnvironments(text: string, known: Omit<Known, 'environments'>): boolean {
  if (known.pending || /\be[a-z0-9]{9}\b/i.test(text)) return true;
  const w = read(text, known.vocabulary);
  return has(w.stems, [...cue.delete, ...cue.stop, ...cue.start, ...cue.envNoun, ...cue.list, ...cue.all, 'why', 'explain']);
}

export function understand(text: string, known: Known): Understanding {
  const w = read(text, known.vocabulary);
  if (known.pending) return answerPending(text, w, known, known.pending);
  if (w.typed.length === 0) return unknown('');
  return decide(w, known);
}

function decide(w: Words, known: Known): Understanding {
  const { stems } = w;
  const phrase = ` ${w.words.join(' ')} `;
  const paths = matchPaths(w.stems, known.vocabulary, w.raw);

  const why = stems.includes('why') || / what went wrong | reason /.test(phrase) || (stems.includes('explain') && has(stems, cue.refusal));
  if (why && has(stems, cue.refusal)) return explain(w, known, paths);

  const howTo = / how (to|do|can|would|should|does) /.test(phrase) || has(w.words, cue.docsWithPath);
  const spendCue = has(stems, cue.spend) || / how much /.test(phrase) || (stems.includes('breakdown') && !has(stems, cue.find));
  if (spendCue) return spend(w, known);
  if (howTo && (paths.some((m) => m.score >= 2.5) || has(w.words, cue.docs))) return docs(w, known, paths);

  const envRef = environmentRef(w, known, paths);
  if (has(stems, cue.delete) && !/ clean (data|dataset)/.test(phrase)) return change('deleteEnvironment', w, known, envRef);
  const startVerb = has(stems, ['resume', 'restart', 'wake', 'unpause', 'reopen', 'boot', 'revive', 'reactivate']) || (stems.includes('turn') && stems.includes('on'));
  if (startVerb) return change('startEnvironment', w, known, envRef);
  if (has(stems, cue.stop) && !stems.includes('turn')) return change('stopEnvironment', w, known, envRef);
  if (stems.includes('turn') && stems.includes('off')) return change('stopEnvironment', w, known, envRef);
  // "start a new experiment" launches; "start my blog (again)" starts what exists.
  const startsNew = / start (a|an|new|some) /.test(phrase);
  const startsExisting = (stems.includes('start') || stems.includes('continue')) && !startsNew && (envRef.referenced || / again | back /.test(phrase));
  if (startsExisting) return change('startEnvironment', w, known, envRef);

  const kindWord = w.stems.find((s) => known.vocabulary.kinds.has(s) && !['data', 'path', 'team', 'user', 'service', 'website', 'app', 'application'].includes(s));
  const findCue = (has(stems, cue.find) && !/ find out /.test(phrase)) || / is there | are there | do we have | got any /.test(phrase);
  const pathsAsked = has(stems, cue.pathNoun) && (has(stems, cue.list) || findCue || stems.includes('can'));
  const whatCan = /^ (what|which) (can|could) (i|we) (launch|start|create|get|make|do) $| what is available | (what|which) (paths|options) /.test(phrase);
  if ((pathsAsked && !(paths[0]?.named)) || whatCan) return { intent: 'listPaths', slots: {} };
  if (findCue && !has(stems, cue.strongLaunch) && (kindWord || !paths[0]?.named || has(stems, ['find', 'search', 'catalog', 'catalogue', 'lookup']))) return catalog(w, known);

  const myEnvs = (has(stems, cue.list) || stems.length <= 3) && (has(stems, cue.envNoun) || / what do i have | what have i got | what is running | what am i running /.test(phrase))
    && !has(stems, cue.launch);
  if (myEnvs) return { intent: 'listEnvironments', slots: {} };
  if (kindWord && has(stems, cue.list) && !has(stems, cue.launch)) return catalog(w, known);

  const launchVerb = has(stems, cue.launch);
  if (launchVerb || paths[0]?.named) return launch(w, known, paths, has(stems, cue.strongLaunch) || Boolean(paths[0]?.named));
  if (paths.length > 0 && paths[0].score >= 4.5) return launch(w, known, paths, false);
  return unknown(w.raw);
}

const capabilities = 'launch a golden path ("launch a data science experiment"), show a path\'s docs ("how do I create a website"), show spend ("my team\'s spend last month by user"), search the catalog ("find datasets about transactions"), list, stop, start or delete your environments, or explain why a launch was refused';

function unknown(text: string): Understanding {
  return {
    intent: 'unknown', slots: {},
    question: `${text ? `I did not understand "${text.slice(0, 120)}". ` : ''}I can ${capabilities}. What would you like to do?`,
    choices: [
      { label: 'Launch a golden path', text: 'what paths can I launch' },
      { label: 'My environments', text: 'list my environments' },
      { label: 'My team\'s spend this month', text: 'show my team\'s spend this month' },
      { label: 'Search the catalog', text: 'search the catalog' },
    ],
  };
}

// ---- launch --------------------------------------------------------------------------------

/** Paths close enough to the best that choosing between them would be a guess. */
function closeCalls(matches: PathMatch[]): PathMatch[] {
  if (matches.length === 0) return [];
  if (matches[0].named && !(matches[1]?.named)) return [matches[0]];
  const top = matches[0].score;
  return matches.filter((m) => m.score >= top * 0.75 && (!matches[0].named || m.named));
}

/** Paths that fit the data class the sentence asks for; sensitive data only when asked for. */
function bySensitivity(matches: PathMatch[], w: Words): PathMatch[] {
  const asked = sensitivityOf(w.words.concat(w.stems));
  if (asked === 'sensitive') {
    const governed = matches.filter((m) => m.path.dataClass === 'sensitive' || m.path.dataClass === 'masked');
    if (governed.length) return governed.map((m) => ({ ...m, score: m.score + (m.path.dataClass === 'sensitive' ? 3 : 1.5) })).sort((a, b) => b.score - a.score);
  }
  if (asked === 'masked') {
    const masked = matches.filter((m) => m.path.dataClass === 'masked');
    if (masked.length) return masked.map((m) => ({ ...m, score: m.score + 3 }));
  }
  if (asked === 'synthetic') {
    const safe = matches.filter((m) => m.path.dataClass === 'synthetic');
    if (safe.length) return safe.map((m) => ({ ...m, score: m.score + 3 }));
  }
  return matches.filter((m) => m.path.dataClass !== 'sensitive' || m.named);
}

const choosePath = (m: PathFacts, verb: string): Choice => ({ label: m.title, text: `${verb} ${m.name}` });

function launch(w: Words, known: Known, all: PathMatch[], strong: boolean): Understanding {
  const matches = bySensitivity(all, w).filter((m) => m.score >= 2.5);
  const slots: Slots = {};
  fillLaunchSlots(w, known, slots);
  const close = closeCalls(matches);
  if (close.length === 0) {
    if (!strong && Object.keys(slots).length === 0) return unknown(w.raw);
    const offer = (all.length ? all.map((m) => m.path) : known.vocabulary.paths.map((p) => p.facts)).slice(0, 6);
    return {
      intent: 'launch', slots,
      question: 'Which golden path should I launch?',
      choices: offer.map((p) => choosePath(p, 'launch')),
      pending: { intent: 'launch', slots, expects: 'path' },
    };
  }
  if (close.length > 1) {
    return {
      intent: 'launch', slots,
      question: `More than one golden path fits: ${close.map((m) => m.path.title).join(', ')}. Which one?`,
      choices: close.slice(0, 5).map((m) => choosePath(m.path, 'launch')),
      pending: { intent: 'launch', slots, expects: 'path' },
    };
  }
  return completeLaunch({ ...slots, path: close[0].path.name }, w, known);
}

function completeLaunch(slots: Slots, w: Words | undefined, known: Known): Understanding {
  const path = known.vocabulary.paths.find((p) => p.facts.name === slots.path)?.facts;
  if (!path) {
    // A path named in a returned `pending` that the platform no longer offers (or never did).
    const rest = { ...slots, path: undefined };
    delete rest.path;
    return { intent: 'launch', slots: rest, question: `There is no golden path "${slots.path}" here. Which one should I launch?`,
      choices: known.vocabulary.paths.slice(0, 6).map((p) => choosePath(p.facts, 'launch')), pending: { intent: 'launch', slots: rest, expects: 'path' } };
  }
  if (w) fillParams(w, path, slots);
  if (path.approval !== 'none' && !slots.reason) {
    return {
      intent: 'launch', slots,
      question: `${path.title} gives access to ${path.dataClass ?? 'governed'} data: its owners approve first and read your reason. Why do you need it?`,
      pending: { intent: 'launch', slots, expects: 'reason' },
    };
  }
  return { intent: 'launch', slots };
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 41);

function fillLaunchSlots(w: Words, known: Known, slots: Slots): void {
  const team = teamIn(w, known);
  if (team) slots.team = team;
  const named = w.raw.match(/\b(?:called|named|name it|with the name|name)\s+["']?([A-Za-z0-9][A-Za-z0-9 _-]{0,40}?)["']?(?=$|[.,;!?]|\s+(?:for|with|because|since|in|on|so|to|and)\b)/i);
  if (named) slots.name = named[1].trim();
  const reason = w.raw.match(/\b(?:because|since|as i need to|as we need to|reason:?|the reason is|in order to|so that)\s+(.{3,})$/i);
  if (reason) slots.reason = reason[1].trim().replace(/[.!]+$/, '');
}

/** Parameters said in the sentence: `key=value`, or a parameter's name or title followed by a value. */
function fillParams(w: Words, path: PathFacts, slots: Slots): void {
  const params: Record<string, string> = {};
  for (const m of w.raw.matchAll(/\b([A-Za-z][A-Za-z0-9_]*)\s*=\s*("[^"]*"|'[^']*'|\S+)/g)) {
    if (path.parameters.some((p) => p.name === m[1])) params[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  for (const p of path.parameters) {
    if (params[p.name]) continue;
    const triggers = [p.name, ...(p.title ? [p.title.replace(/[?]$/, '')] : [])].map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    for (const t of triggers) {
      // "title My Blog", "titled 'Team Handbook'", "project is churn-q1": quoted, or words up to the next clause.
      const m = w.raw.match(new RegExp(`\\b${t}(?:d|s)?\\s*(?:is|of|:|to be|as)?\\s+("[^"]+"|'[^']+'|[^\\s,;]+(?:\\s+(?!(?:for|because|since|called|named|and|with|in|on|to|please)\\b)[^\\s,;]+)*)`, 'i'));
      if (m && !/^(is|of|to|as|the|a)$/i.test(m[1])) {
        const value = m[1].replace(/^["']|["']$/g, '').replace(/[.!?]+$/, '');
        const first = value.split(/\s+/)[0];
        // A value held to a pattern is the words that fit it: "churn-q1", not "churn-q1 today".
        const fits = (v: string) => !p.pattern || new RegExp(p.pattern).test(v);
        params[p.name] = fits(value) || !fits(first) ? value : first;
        break;
      }
    }
    // "…to find out which customers churn": the last words of a question-like title lead into the value.
    const lead = p.title?.match(/(\w+ \w+)\?$/)?.[1];
    if (!params[p.name] && lead && p.type === 'string') {
      const m = w.raw.match(new RegExp(`\\b${lead}\\s+(.{4,200}?)(?:\\s+(?:because|for team|called|named)\\b|[.!]?$)`, 'i'));
      if (m) params[p.name] = m[1];
    }
  }
  // A name that is not an environment name ("called My Blog") is the site's title when the path has one.
  if (slots.name && !/^[a-z0-9][a-z0-9-]{0,40}$/.test(slots.name)) {
    const titleParam = path.parameters.find((p) => p.name === 'title');
    if (titleParam && !params.title) params.title = slots.name;
    slots.name = slug(slots.name);
  }
  if (Object.keys(params).length) slots.params = params;
}

function teamIn(w: Words, known: Known): string | undefined {
  const text = ` ${w.words.join(' ')} `;
  for (const t of known.vocabulary.teams) {
    const spaced = parts(t.id).join(' ');
    const title = tokenize(t.title).join(' ');
    // One-word teams ("web") are common words too: only with "team" beside them, or after "for"/"of".
    const said = (x: string) => (x.includes(' ') ? text.includes(` ${x} `) : new RegExp(` (team ${x}|${x} team|${x}s? team|(for|of) (the )?${x}|${x} (spend|spent|spending|cost|costs|usage|used|paid)) `).test(text) || new RegExp(` (for|of) ${x} (?!app|page|site|service|developer)`).test(text));
    if (said(t.id) || said(spaced) || said(title)) return t.id;
  }
  if (/ (all|every|each) teams? | whole (company|organisation|organization|platform) | everyone /.test(text)) return '*';
  if (/ (my|our) team /.test(text)) return known.user.team;
  return undefined;
}

// ---- docs ----------------------------------------------------------------------------------

function docs(w: Words, known: Known, all: PathMatch[]): Understanding {
  const matches = all.filter((m) => m.score >= 2.5);
  const close = closeCalls(matches.filter((m) => m.path.dataClass !== 'sensitive' || sensitivityOf(w.words) === 'sensitive' || m.named));
  if (close.length === 1) return { intent: 'docs', slots: { path: close[0].path.name } };
  const offer = close.length ? close.map((m) => m.path) : known.vocabulary.paths.map((p) => p.facts);
  return {
    intent: 'docs', slots: {},
    question: close.length ? 'Which path\'s how-to do you mean?' : 'Which golden path would you like the how-to of?',
    choices: offer.slice(0, 6).map((p) => ({ label: p.title, text: `how to use ${p.name}` })),
    pending: { intent: 'docs', slots: {}, expects: 'path' },
  };
}

// ---- spend ---------------------------------------------------------------------------------

const groupings: [RegExp, NonNullable<Slots['by']>][] = [
  [/ (by|per|each|for each|grouped by|broken down by|split by|break down by) (resource type|type|kind)s? /, 'resourceType'],
  [/ (by|per|each|for each|grouped by|broken down by|split by|break down by) (user|person|people|member|developer|colleague|who)s? | who (spent|spend|used|is spending|cost) | which (user|person|people|member)s? /, 'user'],
  [/ (by|per|each|for each|grouped by|broken down by|split by|break down by) (golden path|path|template)s? | which paths? /, 'path'],
  [/ (by|per|each|for each|grouped by|broken down by|split by|break down by) (environment|env)s? | which environments? /, 'environment'],
  [/ (by|per|each|for each|grouped by|broken down by|split by|break down by) teams? | which teams? /, 'team'],
  [/ (by|per|each|for each|grouped by|broken down by|split by|break down by) (day|date)s? | daily | day by day | every day | over time | trend /, 'day'],
  [/ (by|per|each|for each|grouped by|broken down by|split by|break down by) (resource|item)s? | itemi[sz]ed? /, 'resource'],
];

function spend(w: Words, known: Known): Understanding {
  const text = ` ${w.words.join(' ')} `;
  const slots: Slots = {};
  const team = teamIn(w, known);
  if (team) slots.team = team;
  const period = findPeriod(w.words, known.now);
  if (period) slots.period = period;
  const by = groupings.find(([re]) => re.test(text));
  if (by) slots.by = by[1];
  return { intent: 'spend', slots };
}

// ---- catalog -------------------------------------------------------------------------------

const searchNoise = new Set(['find', 'search', 'look', 'locate', 'discover', 'browse', 'catalog', 'catalogue', 'lookup', 'show', 'list', 'see', 'display', 'view',
  'where', 'exist', 'exists', 'available', 'there', 'we', 'have', 'any', 'got', 'called', 'named', 'about', 'on', 'regarding', 'related', 'containing', 'contain',
  'mention', 'mentioning', 'include', 'including', 'for', 'whose', 'which', 'that', 'all', 'some', 'can', 'could', 'in', 'the', 'me', 'i', 'do', 'is', 'are',
  'with', 'of', 'to', 'a', 'an', 'our', 'my', 'please', 'what', 'who', 'owns', 'own', 'kind', 'information', 'info', 'go']);

function catalog(w: Words, known: Known): Understanding {
  const slots: Slots = {};
  let kindAt = -1;
  w.stems.forEach((s, i) => {
    const k = known.vocabulary.kinds.get(s);
    if (k && slots.kind === undefined && !(s === 'data' && w.stems[i + 1] && known.vocabulary.kinds.get(w.stems[i + 1]))) {
      slots.kind = k;
      kindAt = i;
    }
  });
  const rest = w.words.filter((x, i) => i !== kindAt && !searchNoise.has(x) && !searchNoise.has(w.stems[i]) && !(slots.kind && known.vocabulary.kinds.get(w.stems[i]) === slots.kind));
  if (rest.length) slots.text = rest.join(' ');
  if (!slots.text && !slots.kind) {
    return { intent: 'catalog', slots, question: 'What should I look for in the catalog? Say a word or two, e.g. "datasets about transactions".' };
  }
  return { intent: 'catalog', slots };
}

// ---- environments --------------------------------------------------------------------------

/** `specific`: the sentence picked these out (by id, name, resource or path words), not merely "my environment". */
interface EnvRef { referenced: boolean; specific: boolean; all: boolean; candidates: EnvironmentFacts[] }

/** Which of the caller's environments the sentence points at: by id, name, path or resource words. */
function environmentRef(w: Words, known: Known, paths: PathMatch[]): EnvRef {
  const live = known.environments.filter((e) => !['deleted', 'deleting'].includes(e.status));
  const all = has(w.stems, cue.all);
  const byId = live.filter((e) => w.typed.includes(e.id));
  if (byId.length) return { referenced: true, specific: true, all: false, candidates: byId };
  const byName = live.filter((e) => w.typed.includes(e.name.toLowerCase()) || w.raw.toLowerCase().includes(` ${e.name.toLowerCase()}`));
  if (byName.length) return { referenced: true, specific: true, all: false, candidates: byName };
  const types = new Set(w.stems.flatMap((s) => (s === 'notebook' || s === 'jupyter' ? ['notebook'] : s === 'ide' || s === 'vscode' ? ['ide'] : s === 'website' || s === 'site' ? ['site-preview'] : s === 'database' || s === 'db' ? ['database'] : s === 'service' || s === 'microservice' ? ['service'] : s === 'bucket' ? ['bucket'] : [])));
  const byType = types.size ? live.filter((e) => e.resourceTypes.some((t) => types.has(t))) : [];
  if (byType.length) return { referenced: true, specific: true, all, candidates: byType };
  const top = paths.filter((m) => m.score >= 4);
  if (top.length) {
    const best = top[0].score;
    const pathNames = new Set(top.filter((m) => m.score >= best * 0.75).map((m) => m.path.name));
    const byPath = live.filter((e) => pathNames.has(e.path));
    if (byPath.length) return { referenced: true, specific: true, all, candidates: byPath };
  }
  const mentioned = has(w.stems, cue.envNoun) || w.typed.includes('my') || w.typed.includes('it') || all;
  return { referenced: mentioned || /\be[a-z0-9]{9}\b/.test(w.raw), specific: false, all, candidates: live };
}

const verbOf: Record<'stopEnvironment' | 'startEnvironment' | 'deleteEnvironment', string> = { stopEnvironment: 'stop', startEnvironment: 'start', deleteEnvironment: 'delete' };
const fits: Record<'stopEnvironment' | 'startEnvironment' | 'deleteEnvironment', (status: string) => boolean> = {
  stopEnvironment: (s) => s === 'ready' || s === 'provisioning',
  startEnvironment: (s) => s === 'stopped' || s === 'stopping',
  deleteEnvironment: (s) => s !== 'deleted' && s !== 'deleting',
};

function change(intent: 'stopEnvironment' | 'startEnvironment' | 'deleteEnvironment', w: Words, known: Known, ref: EnvRef): Understanding {
  const verb = verbOf[intent];
  const idSaid = w.typed.find((t) => /^e[a-z0-9]{9}$/.test(t));
  if (idSaid && !ref.candidates.some((e) => e.id === idSaid)) {
    return { intent, slots: { environment: idSaid }, question: `You have no environment ${idSaid} that I can see. Which one should I ${verb}?`, choices: envChoices(verb, known.environments.filter((e) => fits[intent](e.status))) };
  }
  const candidates = ref.candidates.filter((e) => fits[intent](e.status));
  const pool = candidates.length ? candidates : ref.candidates;
  if (ref.all) {
    return {
      intent, slots: { all: true },
      question: `I ${verb} one environment at a time, each after you confirm it. Which one first?`,
      choices: envChoices(verb, pool),
    };
  }
  if (!ref.referenced && !has(w.stems, cue.envNoun)) {
    // "stop", "delete the thing": nothing says what; a sentence this vague might not be about environments at all.
    if (known.environments.length === 0 || w.content.length > 3) return unknown(w.raw);
  }
  // One environment fits: the one the sentence named, or the only one of yours this can apply to
  // ("start my environment again" with one stopped). Still only a proposal, confirmed before it is done.
  if (candidates.length === 1 && ref.referenced) return { intent, slots: { environment: candidates[0].id } };
  if (candidates.length === 0 && ref.specific && ref.candidates.length === 1) {
    const e = ref.candidates[0];
    return { intent, slots: { environment: e.id }, question: `${e.name} is ${e.status}: there is nothing to ${verb}.` };
  }
  if (pool.length === 0) return { intent, slots: {}, question: `You have no environment to ${verb}.` };
  return {
    intent, slots: {},
    question: `Which environment should I ${verb}?`,
    choices: envChoices(verb, pool),
  };
}

const envChoices = (verb: string, envs: EnvironmentFacts[]): Choice[] =>
  envs.slice(0, 8).map((e) => ({ label: `${e.name} (${e.path}, ${e.status})`, text: `${verb} ${e.id}` }));

// ---- explain a refusal ---------------------------------------------------------------------

function explain(w: Words, known: Known, paths: PathMatch[]): Understanding {
  const slots: Slots = {};
  const id = w.typed.find((t) => /^e[a-z0-9]{9}$/.test(t));
  if (id) slots.environment = id;
  const top = paths[0];
  if (top && top.score >= 4 && (!paths[1] || paths[1].score < top.score * 0.75)) slots.path = top.path.name;
  return { intent: 'explainRefusal', slots };
}

// ---- answers to a question -----------------------------------------------------------------

function answerPending(text: string, w: Words, known: Known, pending: Pending): Understanding {
  const slots: Slots = { ...pending.slots };
  const value = text.trim().replace(/^(because|since|as|well,?|it'?s|reason:?)\s+/i, '').replace(/[.!]+$/, '');
  switch (pending.expects) {
    case 'reason':
      if (value.length < 3) return { intent: pending.intent, slots, question: 'Please say in a few words why you need the data.', pending };
      slots.reason = value.slice(0, 1000);
      break;
    case 'team': {
      const team = teamIn(w, known);
      if (!team) return { intent: pending.intent, slots, question: `Which team? ${known.vocabulary.teams.map((t) => t.id).join(', ')}`, pending };
      slots.team = team;
      break;
    }
    case 'name':
      slots.name = slug(value);
      break;
    default:
      // A path or an environment: the sentence is read again as a whole, keeping what was said before.
      return decide(read(`${pending.intent === 'docs' ? 'how to use' : verbFor(pending.intent)} ${text}`, known.vocabulary), known);
  }
  if (pending.intent === 'launch' && slots.path) return completeLaunch(slots, undefined, known);
  return { intent: pending.intent, slots };
}

const verbFor = (i: Intent): string => (i === 'launch' ? 'launch' : i === 'stopEnvironment' ? 'stop' : i === 'startEnvironment' ? 'start' : i === 'deleteEnvironment' ? 'delete' : '');
