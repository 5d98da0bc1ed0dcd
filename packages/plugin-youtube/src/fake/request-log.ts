/** Every request the fake answered, and the calls per endpoint (`requests()`, `calls()`). */
import { ENDPOINTS } from './endpoints.js';
import type { FakeEndpoint, FakeRequestRecord } from './types.js';

export class RequestLog {
  readonly #calls = Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<FakeEndpoint, number>;
  readonly #requests: FakeRequestRecord[] = [];

  /** Keeps `rec` (its status, units and reason are filled in as the request is answered). */
  add(rec: FakeRequestRecord): void {
    this.#requests.push(rec);
    if (rec.endpoint !== null) this.#calls[rec.endpoint]++;
  }

  calls(): Record<FakeEndpoint, number> {
    return { ...this.#calls };
  }

  requests(): FakeRequestRecord[] {
    return this.#requests.map((r) => ({ ...r, query: { ...r.query } }));
  }
}
