/**
 * Interactions the fake dispatched, and what the bot answered: the callback
 * (POST /interactions/:id/:token/callback), edits of @original and follow-ups
 * (the webhook routes, keyed by the interaction token).
 */
import { randomBytes } from 'node:crypto';
import type { Waiters } from '@streamsuites/kernel/testing';
import type { FakeInteraction, InteractionCallbackBody } from './types.js';

export interface InteractionRecord {
  id: string;
  token: string;
  guildId: string;
  channelId: string;
  expired: boolean;
  payload: Record<string, unknown>;
  callback: InteractionCallbackBody | null;
  /** The message the callback created (type 4 / 5), then edited; null before or for type 8 / 6. */
  original: Record<string, unknown> | null;
  edits: any[];
  followups: any[];
}

export function interactionToken(): string {
  // Real tokens are long opaque strings starting with 'aW50ZXJhY3Rpb246' ("interaction:" in base64).
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

export class Interactions {
  readonly #byId = new Map<string, InteractionRecord>();
  readonly #byToken = new Map<string, InteractionRecord>();
  readonly #waiters: Waiters;

  constructor(waiters: Waiters) {
    this.#waiters = waiters;
  }

  add(record: InteractionRecord): FakeInteraction {
    this.#byId.set(record.id, record);
    this.#byToken.set(record.token, record);
    const waiters = this.#waiters;
    return {
      id: record.id,
      token: record.token,
      payload: record.payload,
      async callback(timeoutMs = 5000) {
        await waiters.until(() => record.callback !== null, { timeoutMs, message: `no callback for interaction ${record.id}` });
        return record.callback!;
      },
      async original(timeoutMs = 5000) {
        await waiters.until(() => record.edits.length > 0, { timeoutMs, message: `no PATCH @original for interaction ${record.id}` });
        return record.edits[0];
      },
      followups: () => [...record.followups],
      edits: () => [...record.edits],
    };
  }

  byId(id: string): InteractionRecord | undefined {
    return this.#byId.get(id);
  }

  byToken(token: string): InteractionRecord | undefined {
    return this.#byToken.get(token);
  }
}
