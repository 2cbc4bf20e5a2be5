import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';

/** One input as read: a file, or stdin. */
export interface Source {
  /** As the user gave it; stdin is `<stdin>`. */
  name: string;
  /** Its whole text. */
  text: string;
}

/** One Kubernetes object found in the input (a document, or an item of a `kind: List`). */
export interface ManifestObject {
  /** `kind` as written. */
  kind: string;
  /** The object as plain data. */
  value: Record<string, unknown>;
  /** The source it came from. */
  file: string;
  /** 1-based line of its first key. */
  line: number;
  /** 1-based line of the field at `path` inside the object, or of the nearest ancestor that exists. */
  lineOf(path: readonly (string | number)[]): number;
}

/**
 * Every object in the sources: multi-document YAML (`helm template`, `kustomize build`) and `kind: List` (or any
 * `...List` with `items`, as `kubectl get -o yaml` writes it). A YAML error is one problem per source, at its line: the
 * errors after the first one in a file are usually the same mistake seen again.
 */
export function parseManifests(sources: readonly Source[]): { objects: ManifestObject[]; problems: string[] } {
  const objects: ManifestObject[] = [];
  const problems: string[] = [];
  for (const source of sources) {
    const lineCounter = new LineCounter();
    const lineAt = (offset: number) => lineCounter.linePos(offset).line;
    try {
      const docs = parseAllDocuments(source.text, { lineCounter, uniqueKeys: true, prettyErrors: true });
      if (!Array.isArray(docs)) continue; // an empty stream: nothing in it
      const broken = docs.flatMap((doc) => doc.errors)[0];
      if (broken !== undefined) {
        const line = broken.linePos?.[0].line ?? lineAt(broken.pos[0]);
        problems.push(
          `${source.name}:${line}: is not valid YAML (${broken.message.split('\n')[0]}); fix the syntax on that line`,
        );
        continue;
      }
      for (const doc of docs) {
        collect(doc.toJS({ maxAliasCount: 100 }), doc.contents, source.name, lineAt, objects);
      }
    } catch (error) {
      // The parser refuses some well-formed files for safety (an alias bomb, nesting too deep for the stack).
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      problems.push(`${source.name}: cannot be read as YAML (${why}); write the objects out without aliases`);
    }
  }
  return { objects, problems };
}

function collect(
  value: unknown,
  node: Node | null | undefined,
  file: string,
  lineAt: (offset: number) => number,
  into: ManifestObject[],
): void {
  if (!isRecord(value) || typeof value.kind !== 'string') return;
  const items = value.items;
  if (value.kind.endsWith('List') && Array.isArray(items)) {
    const itemNodes = isMap(node) ? node.get('items', true) : undefined;
    items.forEach((item, i) =>
      collect(item, isSeq(itemNodes) ? (itemNodes.items[i] as Node) : undefined, file, lineAt, into),
    );
    return;
  }
  const line = node?.range ? lineAt(node.range[0]) : 1;
  into.push({
    kind: value.kind,
    value,
    file,
    line,
    lineOf: (path) => lineOfPath(node, path, lineAt) ?? line,
  });
}

/** The line of the deepest node along `path` that exists: the key's line for a map entry, the item's for a list. */
function lineOfPath(
  root: Node | null | undefined,
  path: readonly (string | number)[],
  lineAt: (offset: number) => number,
): number | undefined {
  let node: unknown = root;
  let line: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      if (pair === undefined) break;
      if (isScalar(pair.key) && pair.key.range) line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item?.range == null) break;
      line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/** A plain object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
