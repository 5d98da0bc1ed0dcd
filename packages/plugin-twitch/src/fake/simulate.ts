/**
 * Recorded-traffic simulator: replays captured PRIVMSG lines (re-targeted to
 * one channel, with fresh ids) plus scripted lines at a steady rate. The demo
 * uses it to make a fake channel look alive.
 */
import { runAtRate } from '@streamsuites/kernel/testing';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FakeUser } from './messages.js';
import type { FakeTwitchChat, TagSet } from './types.js';
import { normalizeChannel, routeOf } from './wire.js';

/**
 * Reads `*.irc` fixture files (one raw line per line, LF-terminated) from `dir`.
 * Keys are file names without `.irc`, e.g. `privmsg`. Lines are kept byte for byte.
 */
export async function loadFixtureLines(dir: string | URL, files?: readonly string[]): Promise<Record<string, string[]>> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const names = files ?? (await readdir(path)).filter((f) => f.endsWith('.irc')).sort();
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const text = await readFile(join(path, name.endsWith('.irc') ? name : `${name}.irc`), 'utf8');
    out[name.replace(/\.irc$/, '')] = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0);
  }
  return out;
}

/** A scripted chat line, e.g. a `!clip` command the demo wants to see among the noise. */
export interface ScriptedLine {
  user: string | FakeUser;
  text: string;
  tags?: TagSet;
}

export interface SimulateChatOptions {
  channel: string;
  /** Fixture lines; only PRIVMSG lines are used. */
  lines: readonly string[];
  /** Messages per second (fixture and scripted lines together). */
  ratePerSec: number;
  /** Start over when every line was sent (default false: stop after one pass). */
  loop?: boolean;
  /** Lines sent with `say()`, one after every `scriptEvery` fixture lines. */
  script?: readonly ScriptedLine[];
  /** Default 10. */
  scriptEvery?: number;
}

/** Stops the simulation; `done` resolves with the number of messages sent. */
export type StopSimulation = (() => void) & { readonly done: Promise<number>; count(): number };

/**
 * Re-targets a captured PRIVMSG to `#channel` with a fresh `id`, the channel's
 * `room-id` and a current `tmi-sent-ts`; every other byte stays as captured.
 */
export function retargetPrivmsg(line: string, channel: string, roomId: string, now: number = Date.now()): string {
  let tagBlock = '';
  let rest = line;
  if (line.startsWith('@')) {
    const space = line.indexOf(' ');
    tagBlock = line.slice(1, space);
    rest = line.slice(space + 1);
  }
  const fresh: Record<string, string> = { id: randomUUID(), 'room-id': roomId, 'tmi-sent-ts': String(now) };
  const pairs = tagBlock ? tagBlock.split(';') : [];
  const seen = new Set<string>();
  const tags = pairs.map((pair) => {
    const key = pair.split('=', 1)[0] ?? '';
    seen.add(key);
    return key in fresh ? `${key}=${fresh[key]}` : pair;
  });
  for (const key of Object.keys(fresh)) if (!seen.has(key)) tags.push(`${key}=${fresh[key]}`);
  const retargeted = rest.replace(/ PRIVMSG #[^ ]+ /, ` PRIVMSG #${channel} `);
  return `@${tags.join(';')} ${retargeted}`;
}

export function simulateChat(fake: FakeTwitchChat, options: SimulateChatOptions): StopSimulation {
  const channel = normalizeChannel(options.channel);
  const privmsgs = options.lines.filter((l) => routeOf(l).command === 'PRIVMSG');
  const script = options.script ?? [];
  const every = Math.max(1, options.scriptEvery ?? 10);
  if (privmsgs.length === 0 && script.length === 0) throw new Error('simulateChat: no PRIVMSG lines and no script');
  const total = privmsgs.length + (privmsgs.length === 0 ? script.length : Math.floor(privmsgs.length / every));

  let fixtureIndex = 0;
  let scriptIndex = 0;

  const send = (sent: number): void => {
    const scriptedTurn = script.length > 0 && (privmsgs.length === 0 || (sent + 1) % (every + 1) === 0);
    if (scriptedTurn) {
      const s = script[scriptIndex++ % script.length] as ScriptedLine;
      fake.say(channel, s.user, s.text, s.tags);
    } else {
      const raw = privmsgs[fixtureIndex++ % privmsgs.length] as string;
      fake.replay([retargetPrivmsg(raw, channel, fake.roomId(channel))]);
    }
  };

  return runAtRate({ ratePerSec: options.ratePerSec, ...(options.loop ? {} : { total }), send });
}
