import { defaultLifetime, type Lifetime } from '../../domain/golden-path/schema.ts';
import type { PathLibrary } from '../paths/library.ts';

/** The lifetime of a path by its id; a path no longer offered keeps the defaults. */
export type LifetimeOf = (pathId: string) => Lifetime;

export function lifetimesFrom(paths: Pick<PathLibrary, 'list'>): LifetimeOf {
  return (pathId) => paths.list().find((p) => p.path.metadata.name === pathId)?.path.spec.lifetime ?? defaultLifetime;
}
