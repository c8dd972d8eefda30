// Reads the bridge's event stream (server-sent events: `data: {"event", "payload"}` blocks ended
// by a blank line; lines starting with `:` are comments) as it arrives in pieces.

/** One event the core sent the window. */
export interface BridgeEvent {
  event: string;
  payload: unknown;
}

/** Splits a stream of text into events; feed it each piece as it comes. */
export class EventReader {
  private pending = '';

  /** The events completed by `chunk`, in order. */
  push(chunk: string): BridgeEvent[] {
    this.pending += chunk;
    const blocks = this.pending.split('\n\n');
    this.pending = blocks.pop() ?? '';
    const events: BridgeEvent[] = [];
    for (const block of blocks) {
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) events.push(JSON.parse(data) as BridgeEvent);
    }
    return events;
  }
}
