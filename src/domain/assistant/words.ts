/**
 * Words without I/O: how the assistant splits a sentence, folds a word to its stem and measures how
 * far a typed word is from a known one. Small on purpose: the parser's vocabulary is a few hundred
 * words, so a bounded edit distance is as fast as any library and keeps the shared lockfile alone.
 */

/** Lower-case words, digits and the few joiners a path or environment name uses (`e1a2b3c4d5`, `churn-v2`). */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/'s\b/g, '')
    .replace(/n't\b/g, ' not')
    .split(/[^a-z0-9\-_./']+/)
    .map((w) => w.replace(/^['\-_.\/]+|['\-_.\/]+$/g, ''))
    .filter((w) => w.length > 0);
}

/** A word's parts as a path name or tag spells them: `customer-data` → customer, data. */
export const parts = (word: string): string[] => word.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

const irregular: Record<string, string> = {
  queries: 'query', querying: 'query', analyses: 'analysis', analyse: 'analysis', analyze: 'analysis', analysing: 'analysis', analyzing: 'analysis',
  analytics: 'analysis', analytic: 'analysis', analyst: 'analysis', analysts: 'analysis', data: 'data', datum: 'data', children: 'child',
  ml: 'ml', was: 'was', has: 'has', is: 'is', this: 'this', its: 'its', his: 'his', us: 'us', yes: 'yes', spent: 'spend', spending: 'spend',
  costs: 'cost', costing: 'cost', websites: 'website', sites: 'site', services: 'service', microservices: 'microservice',
  apis: 'api', denied: 'deny', refused: 'refuse', rejected: 'reject', failed: 'fail', modelling: 'model', modeling: 'model', models: 'model',
  experimental: 'experiment', experimentation: 'experiment', experiments: 'experiment', experimenting: 'experiment',
  environments: 'environment', envs: 'env', notebooks: 'notebook', datasets: 'dataset', tables: 'table', stopped: 'stop', stopping: 'stop',
  started: 'start', starting: 'start', deleted: 'delete', deleting: 'delete', running: 'run', launched: 'launch', launching: 'launch',
};

/**
 * A crude stem, enough to meet "experimental" and "experimentation", "queries" and "query": known
 * irregular forms first, then a few English endings on longer words.
 */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (irregular[w]) return irregular[w];
  if (w.length <= 4 || /\d/.test(w)) return w;
  for (const [end, put] of [['ies', 'y'], ['ation', ''], ['ations', ''], ['ings', ''], ['ing', ''], ['ed', ''], ['es', ''], ['s', '']] as const) {
    if (w.endsWith(end) && w.length - end.length >= 4) {
      const cut = w.slice(0, w.length - end.length) + put;
      // "shipped" → "shipp" → "ship"; "ss" endings ("process") are not plurals.
      if (end === 's' && w.endsWith('ss')) return w;
      return /([b-df-hj-np-tv-z])\1$/.test(cut) && !/(ll|ss)$/.test(cut) ? cut.slice(0, -1) : cut;
    }
  }
  return w;
}

/**
 * Damerau–Levenshtein distance (adjacent swaps count as one), giving up above `max`: the answer is
 * then max + 1. Bounded so that comparing a word with the whole vocabulary stays in microseconds.
 */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/** How many typos a word of this length may carry and still be recognised. Short words must be exact. */
export const typoAllowance = (word: string): number => (word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0);


/** Misspellings too short for the edit distance to catch safely. */
export const shortTypos: Record<string, string> = { wy: 'why', y: 'why', teh: 'the', hwo: 'how', waht: 'what', wat: 'what', mi: 'my', yo: 'you' };

/**
 * Common English words that are never typos of the platform's words ("send" is not "spend",
 * "went" is not "want"): the typo correction leaves them alone.
 */
export const commonWords = new Set(('send sent went wont want wall mail email boss spam pizza joke room meet meeting tomorrow tonight night time '
  + 'music song play game weather rain sun french english translate poem cloud clouds tired today feel feeling good bad fine well '
  + 'football match won win lose lost buy sell bitcoin money bank book books read write said says tell told call phone number '
  + 'where were wear ware here hear there their they them then than when what whom whose which while white '
  + 'grant admin root sudo ignore previous instruction instructions password secret token key keys door lock '
  + 'live life love like line fine mine nine site size side sign sing song long longer last least lest list lost '
  + 'month most must much more many make made male mile mind find fund found ground round sound '
  + 'shop ship shut shot stop step stay star start stare state stat stats '
  + 'cost coast post past pass mass most host hosted ghost').split(' '));

/** Words that carry no meaning for any intent or slot. */
export const stopWords = new Set([
  'a', 'an', 'the', 'me', 'my', 'mine', 'i', 'we', 'our', 'us', 'you', 'your', 'it', 'its', 'to', 'for', 'of', 'on', 'in', 'at', 'by', 'with',
  'and', 'or', 'that', 'this', 'these', 'those', 'will', 'would', 'could', 'can', 'should', 'please', 'pls', 'plz', 'some', 'any', 'is', 'are', 'be',
  'am', 'was', 'were', 'do', 'does', 'did', 'have', 'has', 'had', 'allow', 'allows', 'let', 'lets', 'want', 'wanna', 'need', 'like', 'get', 'got',
  'give', 'just', 'so', 'up', 'from', 'into', 'about', 'there', 'here', 'what', 'which', 'who', 'where', 'when', 'how', 'new', 'one', 'thing',
  'something', 'environment', 'env', 'workspace', 'place', 'kindly', 'hi', 'hello', 'hey', 'thanks', 'thank', 'also', 'all', 'kind', 'sort',
  'use', 'using', 'run', 'work', 'working', 'help', 'able', 'some', 'them', 'they', 'their', 'him', 'her', 'he', 'she', 'if', 'then', 'as', 'own',
]);
