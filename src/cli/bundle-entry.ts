// The entry of the bundled CLI (dist/cli/goldpath.js, built by scripts/build-cli.ts).
// A checkout moves on (an edit, a pull) while the bundle stays as it was built: when any source
// it was built from is newer than the bundle, the CLI runs from those sources instead, so a
// command never runs stale code. Checking costs one stat per source file, well under a millisecond.

declare const GOLDPATH_BUNDLE_BUILT_AT: number;
declare const GOLDPATH_BUNDLE_INPUTS: string;
declare const GOLDPATH_BUNDLE_ROOT: string;
declare const GOLDPATH_VERSION: string;

const { statSync } = process.getBuiltinModule('node:fs');
const root = new URL(GOLDPATH_BUNDLE_ROOT, import.meta.url);
const inputs = JSON.parse(GOLDPATH_BUNDLE_INPUTS) as string[];
const changed = inputs.some((f) => (statSync(new URL(f, root), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > GOLDPATH_BUNDLE_BUILT_AT);
const source = new URL('src/cli/main.ts', root).href;

globalThis.goldpathCli = { version: GOLDPATH_VERSION, build: changed ? 'from sources changed since the bundle was built' : `bundled ${new Date(GOLDPATH_BUNDLE_BUILT_AT).toISOString()}` };
await (changed ? import(source) : import('./main.ts'));
