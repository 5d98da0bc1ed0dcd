import type { JobRow, JobRowFilter, JobStorage } from './storage.js';
import { FINISHED_STATES } from './storage.js';

/** Jobs in a Map (insertion-ordered). Rows are replaced, never mutated, so callers cannot alias them. */
export class MemoryJobStorage implements JobStorage {
  readonly #rows = new Map<string, Readonly<JobRow>>();

  insert(row: JobRow): void {
    this.#rows.set(row.id, { ...row });
  }

  get(id: string): JobRow | undefined {
    const row = this.#rows.get(id);
    return row === undefined ? undefined : { ...row };
  }

  list(filter: JobRowFilter): JobRow[] {
    const out: JobRow[] = [];
    const rows = [...this.#rows.values()];
    for (let i = rows.length - 1; i >= 0 && (filter.limit === undefined || out.length < filter.limit); i--) {
      const row = rows[i]!;
      if (filter.type !== undefined && row.type !== filter.type) continue;
      if (filter.creatorId !== undefined && row.creatorId !== filter.creatorId) continue;
      if (filter.states !== undefined && !filter.states.includes(row.state)) continue;
      out.push({ ...row });
    }
    return out;
  }

  replace(row: JobRow, expected: { state: JobRow['state']; attempts: number }): boolean {
    const current = this.#rows.get(row.id);
    if (current === undefined || current.state !== expected.state || current.attempts !== expected.attempts) return false;
    this.#rows.set(row.id, { ...row });
    return true;
  }

  nextDue(type: string, now: number, excludeCreators: readonly string[]): JobRow | undefined {
    let best: Readonly<JobRow> | undefined;
    for (const row of this.#rows.values()) {
      if (row.type !== type || row.state !== 'queued' || row.runAt > now) continue;
      if (row.creatorId !== null && excludeCreators.includes(row.creatorId)) continue;
      // Strictly earlier only: on a tie the first inserted wins.
      if (best === undefined || row.runAt < best.runAt) best = row;
    }
    return best === undefined ? undefined : { ...best };
  }

  nextRunAt(types: readonly string[], now: number): number | undefined {
    let next: number | undefined;
    for (const row of this.#rows.values()) {
      if (row.state === 'queued' && row.runAt > now && types.includes(row.type) && (next === undefined || row.runAt < next)) next = row.runAt;
    }
    return next;
  }

  prune(before: number): number {
    let removed = 0;
    for (const [id, row] of this.#rows) {
      if (FINISHED_STATES.includes(row.state) && row.finishedAt !== null && row.finishedAt < before) {
        this.#rows.delete(id);
        removed++;
      }
    }
    return removed;
  }
}
