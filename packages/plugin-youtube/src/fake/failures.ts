/** Failures injected with `failNext` (and malformed bodies with `malformNext`), answered in order until each one's count is used up. */
import { API_ENDPOINTS } from './endpoints.js';
import type { FailNextOptions, FakeEndpoint, FakeErrorReason } from './types.js';

export interface Failure<R = FakeErrorReason> {
  reason: R;
  remaining: number;
  endpoint: FakeEndpoint | undefined;
}

export class FailureQueue<R = FakeErrorReason> {
  readonly #failures: Failure<R>[] = [];

  add(reason: R, o: FailNextOptions = {}): void {
    const count = o.count ?? 1;
    if (count > 0) this.#failures.push({ reason, remaining: count, endpoint: o.endpoint });
  }

  /** The first failure for `endpoint` (one without an endpoint applies to every Data API endpoint), not yet used. */
  find(endpoint: FakeEndpoint): Failure<R> | undefined {
    return this.#failures.find((f) => (f.endpoint === undefined ? API_ENDPOINTS.has(endpoint) : f.endpoint === endpoint));
  }

  /** Counts one answer of `f`, dropping it when its count is used up. */
  use(f: Failure<R>): void {
    f.remaining--;
    if (f.remaining <= 0) this.#failures.splice(this.#failures.indexOf(f), 1);
  }
}
