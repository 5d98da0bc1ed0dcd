import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, PlatformConnectionState, QuotaSnapshot } from '@streamsuites/kernel';
import type { CommandRuntime } from './commands/run.js';
import type { ClipView, PlatformView, PollView, RuntimeView } from './watch.js';

const MINUTE = 60_000;

type Json = Record<string, any>;

/**
 * The runtime as its published state shows it (the exports root of a
 * `streamsuites run` in another process): what the standalone control plane
 * reads. Every command reads the files afresh; a file not written yet reads
 * as empty. Nothing here can act on the runtime.
 */
export class PublishedState implements RuntimeView {
  constructor(
    private readonly root: string,
    private readonly now: () => number,
  ) {}

  /** The command runtime over these files: reads only (no `actions`). */
  commandRuntime(): CommandRuntime {
    return {
      creators: () => this.#list('runtime/admin/creators.json', 'creators').map((c) => ({ id: String(c.id), plugins: Array.isArray(c.plugins) ? c.plugins.map(String) : [] })),
      watch: this,
      quotas: async () => this.#list('shared/state/quotas.json', 'quotas') as QuotaSnapshot[],
      jobs: async () =>
        this.#list('shared/state/jobs.json', 'jobs').map((j) => ({ ...j, creatorId: j.creator, ...(typeof j.error === 'string' ? { error: j.error } : {}) }) as unknown as JobRecord),
      triggers: (creatorId) =>
        this.#list('runtime/admin/chat_triggers.json', 'triggers')
          .filter((t) => t.creator === creatorId)
          .map((t) => ({ id: String(t.id), type: String(t.type), params: (t.params ?? {}) as Record<string, unknown> })),
      clipSettled: () => Promise.reject(new Error('clips are not cut by a standalone control plane')),
    };
  }

  platforms(): PlatformView[] {
    const now = this.now();
    const chat = this.#list('runtime/signals/chat_events.json', 'events');
    const views: PlatformView[] = [];
    for (const creator of this.#list('shared/state/runtime_snapshot.json', 'creators')) {
      for (const p of Array.isArray(creator.platforms) ? (creator.platforms as Json[]) : []) {
        const connection = p.connection as Json | undefined;
        views.push({
          creatorId: String(creator.id),
          platform: String(p.platform),
          ...(typeof connection?.state === 'string' ? { state: connection.state as PlatformConnectionState } : {}),
          ...(typeof connection?.reason === 'string' ? { reason: connection.reason } : {}),
          liveKnown: false,
          perMinute: chat.filter((e) => e.creator === creator.id && e.platform === p.platform && now - Date.parse(String(e.at)) < MINUTE).length,
        });
      }
    }
    return views.sort((a, b) => a.creatorId.localeCompare(b.creatorId) || a.platform.localeCompare(b.platform));
  }

  triggersFired(): number | undefined {
    return undefined; // not published
  }

  lastError(): undefined {
    return undefined; // the snapshot counts errors, it does not keep them
  }

  clips(creatorId?: string): ClipView[] {
    return this.#list('runtime/exports/clips.json', 'clips')
      .filter((c) => creatorId === undefined || c.creator === creatorId)
      .slice(0, 10)
      .map((c) => ({ clipId: String(c.id), creatorId: String(c.creator), state: String(c.state), at: Date.parse(String(c.createdAt)), ...(typeof c.url === 'string' ? { url: c.url } : {}) }));
  }

  poll(creatorId: string): PollView | undefined {
    const polls = this.#list('runtime/exports/polls.json', 'polls').filter((p) => p.creator === creatorId);
    const poll = polls.find((p) => p.status === 'open') ?? polls.sort((a, b) => String(b.openedAt).localeCompare(String(a.openedAt)))[0];
    if (poll === undefined) return undefined;
    return {
      pollId: String(poll.id),
      question: String(poll.question),
      open: poll.status === 'open',
      results: (Array.isArray(poll.options) ? (poll.options as Json[]) : []).map((o) => ({ label: String(o.label), votes: Number(o.votes) || 0 })),
      at: Date.parse(String(poll.openedAt)),
    };
  }

  tallies(creatorId: string): Map<string, Map<string, number>> {
    return this.#boards('runtime/exports/tallies.json', 'tallies', 'counts', 'count', creatorId);
  }

  scores(creatorId: string): Map<string, Map<string, number>> {
    return this.#boards('runtime/exports/scoreboards.json', 'scoreboards', 'entries', 'score', creatorId);
  }

  #boards(file: string, key: string, rows: string, value: string, creatorId: string): Map<string, Map<string, number>> {
    const boards = new Map<string, Map<string, number>>();
    for (const board of this.#list(file, key).filter((b) => b.creator === creatorId)) {
      boards.set(String(board.id), new Map((Array.isArray(board[rows]) ? (board[rows] as Json[]) : []).map((r) => [String(r.label), Number(r[value]) || 0])));
    }
    return boards;
  }

  /** `file`'s array under `key`; empty when the file is missing or not what it should be. */
  #list(file: string, key: string): Json[] {
    try {
      const body = JSON.parse(readFileSync(join(this.root, file), 'utf8')) as Json;
      const list = body?.[key];
      return Array.isArray(list) ? list.filter((item): item is Json => typeof item === 'object' && item !== null) : [];
    } catch {
      return [];
    }
  }
}
