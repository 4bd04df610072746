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

  constructor(dirs: string[], types: ResourceTypes) {
    this.dirs = dirs;
    this.types = types;
  }

  async reload(): Promise<{ loaded: number; errors: PathFileError[] }> {
    const { paths, errors } = await loadGoldenPaths(this.dirs, this.types);
    this.#paths = new Map(paths.map((p) => [p.path.metadata.name, p]));
    this.#errors = errors;
    return { loaded: paths.length, errors };
  }

  list(): LoadedPath[] {
    return [...this.#paths.values()];
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

export type { GoldenPath };
