import type { GoldenPath } from '../../domain/golden-path/schema.ts';
import type { ResourceTypes } from '../../domain/resource/driver-contract.ts';
import { PlatformError } from '../errors.ts';
import { loadGoldenPaths, formatPathError, type LoadedPath, type PathFileError } from './loader.ts';

/**
 * The golden paths the platform offers: the built-in library plus the organisation's own folder.
 * `types` is what the platform's drivers declare (the driver registry's declarations), so a path
 * is checked against the drivers that will run it without the engine importing any of them.
 */
export class PathLibrary {
  #paths = new Map<string, LoadedPath>();
  #errors: PathFileError[] = [];
  readonly dirs: string[];
  readonly types: ResourceTypes;
  readonly #checkTools?: CheckTools;

  /** `checkTools` judges the tools each valid path starts (the tool registry and policy); refused paths become errors. */
  constructor(dirs: string[], types: ResourceTypes, options: { checkTools?: CheckTools } = {}) {
    this.dirs = dirs;
    this.types = types;
    this.#checkTools = options.checkTools;
  }

  async reload(): Promise<{ loaded: number; errors: PathFileError[] }> {
    const read = await loadGoldenPaths(this.dirs, this.types);
    const checked = this.#checkTools ? this.#checkTools(read.paths, new Set(this.#paths.keys())) : { paths: read.paths, errors: [] };
    const paths = checked.paths;
    const errors = [...read.errors, ...checked.errors];
    this.#paths = new Map(paths.map((p) => [p.path.metadata.name, p]));
    this.#errors = errors;
    return { loaded: paths.length, errors };
  }

  list(): LoadedPath[] {
    return [...this.#paths.values()];
  }

  /** How many workspaces of `type` each path keeps warm for its launches (its `warm:`), the paths that keep none left out. */
  warm(type: 'notebook'): Record<string, number> {
    return Object.fromEntries(this.list().flatMap(({ path }) => (path.spec.warm[type] ? [[path.metadata.name, path.spec.warm[type]]] : [])));
  }

  get errors(): PathFileError[] {
    return this.#errors;
  }

  get(name: string): LoadedPath {
    const p = this.#paths.get(name);
    if (!p) {
      const known = [...this.#paths.keys()].join(', ') || 'none loaded';
      const broken = this.#errors.filter((e) => e.file.includes(name)).map(formatPathError);
      throw new PlatformError(404, 'unknown_path', `no golden path named "${name}"; known paths: ${known}${broken.length ? `. Its file has errors: ${broken.join('; ')}` : ''}`);
    }
    return p;
  }
}

/** Judges the tools of the loaded paths; `loadedBefore` are judged first, so a reload keeps what ran. */
export type CheckTools = (paths: LoadedPath[], loadedBefore: ReadonlySet<string>) => { paths: LoadedPath[]; errors: PathFileError[] };

export type { GoldenPath };
