/**
 * Recorded-traffic simulator for the fake YouTube API: replays captured
 * live chat items (with fresh ids and times) plus scripted messages at a
 * steady rate. The demo uses it to make a fake live chat look alive.
 */
import { runAtRate } from '@streamsuites/kernel/testing';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiveChatItem } from '../types.js';
import type { FakeAuthor, FakeYouTubeApi } from './types.js';

/** A scripted message, e.g. a command the demo wants to see among the noise. */
export interface ScriptedYouTubeMessage {
  author: FakeAuthor | string;
  text: string;
}

export interface SimulateYouTubeChatOptions {
  /** Default: the chat of the most recent live broadcast. */
  liveChatId?: string;
  /** Captured items (text messages, Super Chats...); sent with fresh ids and times. */
  items: readonly LiveChatItem[];
  /** Messages per second (recorded and scripted together). */
  ratePerSec: number;
  /** Start over when every item was sent (default false: one pass). */
  loop?: boolean;
  script?: readonly ScriptedYouTubeMessage[];
  /** One scripted message after every this many recorded ones (default 10). */
  scriptEvery?: number;
}

/** Stops the simulation; `done` resolves with the number of messages sent. */
export type StopYouTubeSimulation = (() => void) & { done: Promise<number>; count(): number };

export function simulateYouTubeChat(fake: FakeYouTubeApi, options: SimulateYouTubeChatOptions): StopYouTubeSimulation {
  const items = options.items.filter((item) => typeof item.snippet?.type === 'string');
  const script = options.script ?? [];
  const every = Math.max(1, options.scriptEvery ?? 10);
  if (items.length === 0 && script.length === 0) throw new Error('simulateYouTubeChat: no items and no script');
  if (!(options.ratePerSec > 0)) throw new RangeError(`simulateYouTubeChat: ratePerSec must be positive, got ${options.ratePerSec}`);
  const total = items.length + (items.length === 0 ? script.length : Math.floor(items.length / every));
  const target = options.liveChatId === undefined ? {} : { liveChatId: options.liveChatId };
  let itemIndex = 0;
  let scriptIndex = 0;

  const send = (sent: number): void => {
    const scripted = script.length > 0 && (items.length === 0 || (sent + 1) % (every + 1) === 0);
    if (scripted) {
      const s = script[scriptIndex++ % script.length]!;
      fake.say({ author: s.author, text: s.text, ...target });
    } else {
      const recorded = structuredClone(items[itemIndex++ % items.length]!);
      delete recorded.id; // a fresh id each time, so a loop never repeats one
      if (recorded.snippet) recorded.snippet.publishedAt = new Date().toISOString();
      fake.push(recorded, target);
    }
  };

  return runAtRate({ ratePerSec: options.ratePerSec, ...(options.loop ? {} : { total }), send });
}

/**
 * The chat items of every `*.json` file in `dir` that is a
 * liveChatMessages.list page (`items`) or a single item (`snippet`), in file
 * order. Other files are skipped.
 */
export async function loadYouTubeFixtureItems(dir: string | URL): Promise<LiveChatItem[]> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const out: LiveChatItem[] = [];
  for (const name of (await readdir(path)).filter((f) => f.endsWith('.json')).sort()) {
    let body: unknown;
    try {
      body = JSON.parse(await readFile(join(path, name), 'utf8'));
    } catch {
      continue;
    }
    const page = body as { items?: unknown; snippet?: unknown };
    if (Array.isArray(page.items)) out.push(...(page.items as LiveChatItem[]).filter((i) => typeof i?.snippet === 'object'));
    else if (typeof page.snippet === 'object' && page.snippet !== null) out.push(body as LiveChatItem);
  }
  return out;
}
