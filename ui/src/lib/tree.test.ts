import { describe, expect, it } from 'vitest';
import { flattenTree, subtreeIds } from './tree';

const nodes = [
  { id: 's2', parent_id: 'd', name: 'Ясное' },
  { id: 'r', parent_id: null, name: 'Край' },
  { id: 'd', parent_id: 'r', name: 'Абанский район' },
  { id: 's1', parent_id: 'd', name: 'Берёзовка' },
];

describe('territory tree', () => {
  it('lists parents before children, siblings by name, with depth', () => {
    expect(flattenTree(nodes).map((f) => `${f.depth}:${f.node.id}`)).toEqual(['0:r', '1:d', '2:s1', '2:s2']);
  });

  it('finds a subtree', () => {
    expect([...subtreeIds(nodes, 'd')].sort()).toEqual(['d', 's1', 's2']);
  });
});
