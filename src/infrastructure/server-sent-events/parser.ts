/**
 * Splits a server-sent-events stream into its events as chunks arrive (a chunk may end in the
 * middle of one). Only what the platform's streams use: `event:` and `data:` lines, JSON data.
 * Plain text handling with no I/O, so the CLI (node:http) and the MCP route (fetch) read the
 * same way.
 */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

export class EventStreamParser {
  #buffer = '';

  /** The events completed by this chunk, in order; events without data are skipped. */
  push(chunk: string): ServerSentEvent[] {
    this.#buffer += chunk;
    const events: ServerSentEvent[] = [];
    let cut;
    while ((cut = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, cut);
      this.#buffer = this.#buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) });
    }
    return events;
  }
}
