// Where in a YAML text a value sits, by its path in the parsed data: so that an error found in
// the data (by zod) can name the line and column a person has to look at.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';

export interface SourcePosition {
  line: number;
  col: number;
  /** False when the path goes further than the text: a key that is missing is placed on its parent. */
  exact: boolean;
}

/**
 * The position of the value at `path`: a scalar where it starts, a block collection at its key
 * (the line that names it), a sequence item where it starts; with `at: 'key'`, the key naming it. Aliases are followed to their anchor
 * (where the text is), merge keys (`<<`) to the maps they merge.
 */
export function positionOf(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], at: 'value' | 'key' = 'value'): SourcePosition {
  let node: Node | null = doc.contents;
  let keyOffset: number | undefined;
  let exact = true;
  for (const segment of path) {
    const value = resolve(doc, node);
    let next: { node: Node | null; keyOffset: number | undefined } | undefined;
    if (isMap(value)) {
      const pair = findPair(doc, value.items as Pair[], String(segment), 0);
      if (pair) next = { node: pair.value as Node | null, keyOffset: (pair.key as Node | null)?.range?.[0] };
    } else if (isSeq(value) && typeof segment === 'number') {
      const item = value.items[segment] as Node | undefined;
      if (item) next = { node: item, keyOffset: undefined };
    }
    if (!next) {
      exact = false;
      break;
    }
    node = next.node;
    keyOffset = next.keyOffset;
  }
  const target = resolve(doc, node);
  const useValue = !exact || keyOffset === undefined || (at === 'value' && (isScalar(target) || (target && 'flow' in target && target.flow)));
  const offset = (useValue ? node?.range?.[0] : keyOffset) ?? keyOffset ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, col, exact };
}

function resolve(doc: Document, node: Node | null): Node | null {
  // An alias resolves to its anchored node; a chain of them is followed a few steps at most.
  for (let i = 0; i < 8 && node && isAlias(node); i++) node = (node.resolve(doc) as Node | undefined) ?? null;
  return node;
}

function findPair(doc: Document, items: Pair[], key: string, depth: number): Pair | undefined {
  // A merge key's value is Symbol(<<) when the document is parsed with `merge: true`.
  const keyOf = (p: Pair) => (isScalar(p.key) ? (typeof p.key.value === 'symbol' ? (p.key.value.description ?? '') : String(p.key.value)) : String(p.key));
  const own = items.find((p) => keyOf(p) === key);
  if (own || depth > 4) return own;
  for (const merge of items.filter((p) => keyOf(p) === '<<')) {
    const value = resolve(doc, merge.value as Node | null);
    const sources = isSeq(value) ? value.items.map((n) => resolve(doc, n as Node)) : [value];
    for (const src of sources) {
      if (!isMap(src)) continue;
      const found = findPair(doc, src.items as Pair[], key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** `pipelines[1].stages[3].requires`, as a person reading the file counts it (from 0, like the data). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || '(root)';
}
