/** What the normalize*.test.ts files share: the fixtures, a normalize context, and unwrapping a result of the expected kind. */
import { readFileSync } from 'node:fs';
import type { ChatMessage, ChatNotice } from '@streamsuites/kernel';
import { normalizeItem } from '../src/normalize/index.js';
import type { LiveChatItem, LiveChatPage, NormalizedItem } from '../src/types.js';

export const dir = new URL('../../../fixtures/youtube/', import.meta.url);
export const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T;
export const ctx = { creatorId: 'c1', channel: 'UCcreator', receivedAt: 1_700_000_000_000 };
export const norm = (item: unknown): NormalizedItem => normalizeItem(item as LiveChatItem, ctx);

export const constructed = read<LiveChatPage>('constructed-from-docs/liveChatMessages.list.event-types.constructed.json');
export const byId = (id: string): LiveChatItem => {
  const found = constructed.items!.find((i) => i.id === id);
  if (!found) throw new Error(`${id} missing`);
  return found;
};
export function message(item: unknown): ChatMessage {
  const r = norm(item);
  if (r.kind !== 'message') throw new Error(`gave ${r.kind}: ${JSON.stringify(r)}`);
  return r.message;
}
export function notice(item: unknown): ChatNotice {
  const r = norm(item);
  if (r.kind !== 'notice') throw new Error(`gave ${r.kind}: ${JSON.stringify(r)}`);
  return r.notice;
}
export const clone = <T>(v: T): T => structuredClone(v);
