import { isNode, type Document, type LineCounter } from 'yaml';

/** The line of the deepest node of `path` that exists in the document. */
export function lineOf(doc: Document, lc: LineCounter, path: (string | number)[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
    if (n > 0 && n === path.length) {
      // A missing or scalar-less key: point at the key itself when the parent map has it.
      const parent = doc.getIn(path.slice(0, n - 1), true) as { items?: { key: { value: unknown; range?: [number] } }[] } | undefined;
      const pair = parent?.items?.find((p) => p.key?.value === path[n - 1]);
      if (pair?.key?.range) return lc.linePos(pair.key.range[0]).line;
    }
  }
  return null;
}
