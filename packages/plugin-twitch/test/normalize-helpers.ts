// Captured fixture lines (fixtures/twitch, line numbers as in SOURCES.md) through the real normalizer.
import { readFileSync } from 'node:fs';
import type { ChatMessage, ChatNotice } from '@streamsuites/kernel';
import { normalizeLine, type NormalizedLine } from '../src/normalize/index.js';

const dir = new URL('../../../fixtures/twitch/', import.meta.url);
const files = new Map<string, string[]>();
/** Line `n` (1-based, as in SOURCES.md) of a fixture file. */
export function line(file: string, n: number): string {
  if (!files.has(file)) files.set(file, readFileSync(new URL(file, dir), 'utf8').split('\n'));
  const found = files.get(file)![n - 1];
  if (found === undefined || found.length === 0) throw new Error(`${file}:${n} missing`);
  return found;
}
export const ctx = { creatorId: 'c1', receivedAt: 1_700_000_000_000 };
export const norm = (file: string, n: number): NormalizedLine => normalizeLine(line(file, n), ctx);
export function message(n: number): ChatMessage {
  const r = norm('privmsg.irc', n);
  if (r.kind !== 'message') throw new Error(`privmsg.irc:${n} gave ${r.kind}`);
  return r.message;
}
export function notice(n: number): ChatNotice {
  const r = norm('usernotice.irc', n);
  if (r.kind !== 'notice') throw new Error(`usernotice.irc:${n} gave ${r.kind}`);
  return r.notice;
}
