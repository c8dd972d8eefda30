// A list loaded page by page with the core's keyset cursors: the first page on reset, the
// next one when the table scrolls near the end. Never asks for everything at once.

import { toAppError } from '../ipc/errors';
import type { AppError, Cursor, Page } from '../ipc/types';

export const PAGE_SIZE = 100;

export class KeysetList<R> {
  rows = $state.raw<R[]>([]);
  total = $state(0);
  next = $state<Cursor | null>(null);
  loading = $state(false);
  error = $state<AppError | null>(null);
  /** Bumped on every reset: the table scrolls back up, and late pages of the old query are dropped. */
  generation = $state(0);
  #fetch: (after: Cursor | null) => Promise<Page<R>>;

  constructor(fetch: (after: Cursor | null) => Promise<Page<R>>) {
    this.#fetch = fetch;
  }

  /** Starts over, with a new query if given. */
  reset(fetch?: (after: Cursor | null) => Promise<Page<R>>): Promise<void> {
    if (fetch) this.#fetch = fetch;
    this.generation++;
    this.rows = [];
    this.next = null;
    this.total = 0;
    this.loading = false;
    return this.#load(null);
  }

  /** Loads the page after the last one, if there is one. */
  more(): Promise<void> {
    if (this.loading || this.next === null) return Promise.resolve();
    return this.#load(this.next);
  }

  get hasMore(): boolean {
    return this.next !== null;
  }

  async #load(after: Cursor | null): Promise<void> {
    const generation = this.generation;
    this.loading = true;
    try {
      const page = await this.#fetch(after);
      if (generation !== this.generation) return;
      this.rows = after === null ? page.items : this.rows.concat(page.items);
      this.next = page.next;
      this.total = page.total;
      this.error = null;
    } catch (e) {
      if (generation === this.generation) this.error = toAppError(e);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }
}
