// npm run build:cli — bundles the CLI into dist/cli/, which bin/goldpath runs when it is there.
//
// Why: a command's start is mostly Node's own (~100 ms on a 2-core machine); loading the CLI as
// a dozen TypeScript files plus commander's CommonJS files added 40–80 ms on top. One ES module
// per command, commander inside, brings `goldpath envs` close to that floor (bench/cli.ts).
//
// `goldpath up` is not bundled: it imports the whole server, which runs from its sources (the
// bundle imports src/cli/commands/up.ts at run time). The bundle knows the sources it was built
// from and falls back to them when one changed (src/cli/bundle-entry.ts).
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultOutdir = join(root, 'dist', 'cli');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/**
 * Modules the bundle leaves to run from source. Their importers all land in chunks/ (the entry
 * imports main.ts lazily), so the path is relative to that folder.
 */
const fromSource = new Set([join(root, 'src/cli/commands/up.ts')]);

const runFromSource = (outdir: string): Plugin => ({
  name: 'run-from-source',
  setup(b) {
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      const file = join(args.resolveDir, args.path);
      if (!fromSource.has(file)) return undefined;
      return { path: posix(relative(join(outdir, 'chunks'), file)), external: true };
    });
  },
});

const posix = (p: string) => p.split('\\').join('/');

/** The bundle in `dir` is swapped into `outdir` when done: paths inside it are relative to `outdir`. */
const options = (dir: string, outdir: string, bundle: { builtAt: number; inputs: string[] }): BuildOptions => ({
  entryPoints: { goldpath: join(root, 'src/cli/bundle-entry.ts') },
  outdir: dir,
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
  plugins: [runFromSource(outdir)],
  define: {
    GOLDPATH_BUNDLE_BUILT_AT: String(bundle.builtAt),
    GOLDPATH_BUNDLE_INPUTS: JSON.stringify(JSON.stringify(bundle.inputs)),
    GOLDPATH_BUNDLE_ROOT: JSON.stringify(posix(relative(outdir, root)) + '/'),
    GOLDPATH_VERSION: JSON.stringify(version),
  },
  // commander is CommonJS: its require() of node's own modules needs a require in an ES module.
  banner: { js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
});

/** `builtAt` is for tests: a bundle built "before" its sources must run from them. */
export async function buildCli({ outdir = defaultOutdir, builtAt = Date.now() } = {}): Promise<number> {
  const staging = `${outdir}.${process.pid}`;
  // Once to learn the sources, once more with their list inside (esbuild takes ~0.1 s a build).
  const first = await build(options(staging, outdir, { builtAt, inputs: [] }));
  const inputs = Object.keys(first.metafile!.inputs).filter((f) => !f.startsWith('node_modules/')).map(posix);
  rmSync(staging, { recursive: true, force: true });
  await build(options(staging, outdir, { builtAt, inputs }));
  // Swapped in whole, so a command starting meanwhile runs either bundle or the sources.
  const old = `${outdir}.old.${process.pid}`;
  try {
    renameSync(outdir, old);
  } catch {
    // no bundle yet
  }
  renameSync(staging, outdir);
  rmSync(old, { recursive: true, force: true });
  return inputs.length;
}

if (import.meta.main) console.log(`CLI bundled into dist/cli from ${await buildCli()} source files`);
