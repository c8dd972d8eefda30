// Whether a form differs from what was loaded: compared as canonical JSON, so key order and
// object identity do not matter, only the values.

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** The state a form started from; `differs` tells whether the current state has moved away. */
export class Baseline {
  #json: string;

  constructor(value: unknown) {
    this.#json = canonicalJson(value);
  }

  differs(current: unknown): boolean {
    return canonicalJson(current) !== this.#json;
  }

  /** After a save, the saved state is the new starting point. */
  reset(value: unknown): void {
    this.#json = canonicalJson(value);
  }
}
