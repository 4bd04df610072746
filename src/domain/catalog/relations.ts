/**
 * Relation names and their inverses. The Backstage names are kept exactly, so that tools reading a
 * Backstage catalog read ours; the last three pairs are Goldpath's (models and environments).
 */
export const relationPairs = [
  ['ownedBy', 'ownerOf'],
  ['dependsOn', 'dependencyOf'],
  ['providesApi', 'apiProvidedBy'],
  ['consumesApi', 'apiConsumedBy'],
  ['partOf', 'hasPart'],
  ['memberOf', 'hasMember'],
  ['childOf', 'parentOf'],
  ['trainedOn', 'trainingDataOf'],
  ['instanceOf', 'hasInstance'],
  ['launchedBy', 'launcherOf'],
] as const;

export type RelationType = (typeof relationPairs)[number][number];

const inverses = new Map<string, RelationType>(relationPairs.flatMap(([a, b]) => [[a, b], [b, a]] as [string, RelationType][]));

export const relationTypes: readonly RelationType[] = relationPairs.flat();

export function isRelationType(s: string): s is RelationType {
  return inverses.has(s);
}

export function inverseOf(type: RelationType): RelationType {
  return inverses.get(type)!;
}

/** A relation as declared by one entity: from its own ref to a target ref (both canonical). */
export interface Relation {
  type: RelationType;
  source: string;
  target: string;
}
