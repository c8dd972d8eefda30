// The territory tree flattened for a select: parents before children, with their depth.

export interface TreeItem {
  id: string;
  parent_id: string | null;
  name: string;
}

export interface FlatItem<T extends TreeItem> {
  node: T;
  depth: number;
}

/** Depth-first, siblings by name; nodes whose parent is missing are treated as roots. */
export function flattenTree<T extends TreeItem>(nodes: readonly T[]): FlatItem<T>[] {
  const ids = new Set(nodes.map((n) => n.id));
  const children = new Map<string | null, T[]>();
  for (const n of nodes) {
    const key = n.parent_id && ids.has(n.parent_id) ? n.parent_id : null;
    const list = children.get(key) ?? [];
    list.push(n);
    children.set(key, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  const out: FlatItem<T>[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const n of children.get(parent) ?? []) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push({ node: n, depth });
      walk(n.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The ids of `id` and everything below it. */
export function subtreeIds<T extends TreeItem>(nodes: readonly T[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (n.parent_id && out.has(n.parent_id) && !out.has(n.id)) {
        out.add(n.id);
        grew = true;
      }
    }
  }
  return out;
}
