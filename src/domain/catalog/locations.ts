import type { ParsedEntity } from './parse.ts';
import { dirOf, isRemote, joinRelative } from './descriptor-files.ts';

/**
 * What a Location entity points at, as Backstage reads it: `target` and `targets`, files or globs
 * relative to the Location's own file. Only `type: file` (the default here) is followed: a `url`
 * location names something remote, which nothing here fetches.
 */
export interface LocationTargets {
  /** The Location's file, document and line, for messages about its targets. */
  file: string;
  document: number;
  line: number;
  entity: string;
  /** Targets as paths relative to the same root as `file` (posix); a glob stays a glob. */
  targets: string[];
  /** `presence: optional`: a target that is missing is not an error. */
  optional: boolean;
  /** Targets that are not followed (remote), each with the reason. */
  skipped: { target: string; reason: string }[];
}

export function locationTargets(e: ParsedEntity): LocationTargets | null {
  if (e.entity.kind !== 'Location') return null;
  const spec = e.entity.spec as { type?: string; target?: string; targets?: string[]; presence?: string };
  const out: LocationTargets = { file: e.file, document: e.document, line: e.line, entity: `Location ${e.entity.metadata.name}`, targets: [], optional: spec.presence === 'optional', skipped: [] };
  const dir = dirOf(e.file);
  for (const t of [spec.target, ...(spec.targets ?? [])]) {
    if (!t) continue;
    if ((spec.type && spec.type !== 'file') || isRemote(t)) {
      out.skipped.push({ target: t, reason: `${spec.type ?? 'url'} targets are remote and are not followed here: import that repository's files directly` });
      continue;
    }
    out.targets.push(t.startsWith('/') ? t : joinRelative(dir, t));
  }
  return out;
}
