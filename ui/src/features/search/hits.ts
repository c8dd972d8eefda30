// Search results: where each one opens, and its snippet split into plain and matched parts
// (the core wraps matches in «[» and «]»; they are shown as <mark>, never parsed as HTML).
import type { SearchHit } from '../../ipc/types';

export function hitHref(hit: SearchHit): string | null {
  switch (hit.entity) {
    case 'initiative':
      return `#/initiatives/${hit.id}`;
    case 'contact':
      return `#/contacts/${hit.id}`;
    case 'event':
      return `#/events/${hit.id}`;
    case 'territory':
      return '#/settings/territories';
    case 'program':
      return '#/settings/programs';
    default:
      return null;
  }
}

export function snippetParts(snippet: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), mark: false });
    parts.push({ text: m[1] ?? '', mark: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), mark: false });
  return parts;
}
