import { describe, expect, it } from 'vitest';
import { EventReader } from './events';

describe('the bridge event stream', () => {
  it('gives each event once it is complete, however the text is cut', () => {
    const reader = new EventReader();
    const text = ': open\n\ndata: {"event":"progress","payload":{"task":"Запись строк","done":1,"total":4}}\n\n';
    const cut = text.indexOf('"done"');
    expect(reader.push(text.slice(0, cut)), 'the comment is no event, the half event waits').toEqual([]);
    expect(reader.push(text.slice(cut))).toEqual([{ event: 'progress', payload: { task: 'Запись строк', done: 1, total: 4 } }]);
    expect(reader.push('data: {"event":"a","payload":1}\n\ndata: {"event":"b","payload":2}\n\n').map((e) => e.event)).toEqual(['a', 'b']);
  });
});
