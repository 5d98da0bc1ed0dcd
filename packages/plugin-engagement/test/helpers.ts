import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateStoreRef, type ActionEvent, type ActionFailedEvent, type ChatMessage, type ChatRole, type StateStore } from '@streamsuites/kernel';
import { chatMessage, createTempDirs, startTestKernel, type TestKernel } from '@streamsuites/testing';
import exportsPlugin from '@streamsuites/plugin-exports';
import { afterEach } from 'vitest';
import engagementPlugin, { engagementRef, type Engagement } from '../src/index.js';

const temp = createTempDirs('ss-engagement-');
const kernels: TestKernel[] = [];
afterEach(async () => {
  for (const t of kernels.splice(0)) await t.stop().catch(() => undefined);
  temp.removeAll();
});

export function tempDir(): string {
  return temp.make();
}

/** 2026-11-27 20:00:00 UTC. */
export const T0 = Date.UTC(2026, 10, 27, 20, 0, 0);

/** A kernel clock that only moves when a test moves it. */
export class TestClock {
  value: number;
  constructor(start = T0) {
    this.value = start;
  }
  now = (): number => this.value;
  advance(ms: number): void {
    this.value += ms;
  }
}

export interface Chatter {
  id: string;
  login: string;
  displayName: string;
  roles?: ChatRole[];
  platform?: string;
}

export const viewer = (n: number, platform = 'twitch'): Chatter => ({ id: `uid-${n}`, login: `viewer_${n}`, displayName: `Viewer${n}`, platform });
export const mod: Chatter = { id: 'uid-mod', login: 'mod_login', displayName: 'ModName', roles: ['moderator'] };

export function message(creatorId: string, text: string, from: Chatter, at = T0): ChatMessage {
  return chatMessage({
    creatorId,
    text,
    receivedAt: at,
    platform: from.platform ?? 'twitch',
    author: { id: from.id, login: from.login, displayName: from.displayName, roles: from.roles ?? [] },
  });
}

/** The engagement config of creator alice in {@link startEngagement}. */
export const ALICE_CONFIG = {
  tallies: [
    { id: 'deaths', name: 'Deaths' },
    { id: 'mood', name: 'Mood', labels: ['Hype', 'Calm'] },
    { id: 'free', name: 'Anything' },
  ],
  scoreboards: [{ id: 'points', name: 'Points', maxEntries: 3 }],
};

/** Alice's triggers: everything goes through real command triggers and the action dispatcher. */
export const ALICE_TRIGGERS = [
  { id: 'poll', type: 'command', params: { command: '!poll' }, roles: ['moderator'], actions: [{ type: 'poll.open', params: { question: '{arg1}', options: ['{arg2}', '{arg3}', '{arg4}', '{arg5}'] } }] },
  { id: 'quickpoll', type: 'command', params: { command: '!quickpoll' }, roles: ['moderator'], actions: [{ type: 'poll.open', params: { question: '{arg1}', options: ['{arg2}', '{arg3}', '{arg4}'], durationSec: 30 } }] },
  { id: 'timedpoll', type: 'command', params: { command: '!timedpoll' }, roles: ['moderator'], actions: [{ type: 'poll.open', params: { question: '{arg2}', options: ['{arg3}', '{arg4}'], durationSec: '{arg1}' } }] },
  { id: 'endpoll', type: 'command', params: { command: '!endpoll' }, roles: ['moderator'], actions: [{ type: 'poll.close', params: {} }] },
  { id: 'death', type: 'command', params: { command: '!death' }, actions: [{ type: 'tally.add', params: { tally: 'deaths', label: 'total' } }] },
  { id: 'undeath', type: 'command', params: { command: '!undeath' }, actions: [{ type: 'tally.add', params: { tally: 'deaths', label: 'total', delta: -1 } }] },
  { id: 'mood', type: 'command', params: { command: '!mood' }, actions: [{ type: 'tally.add', params: { tally: 'mood', label: '{arg1}' } }] },
  { id: 'point', type: 'command', params: { command: '!point' }, actions: [{ type: 'score.add', params: { scoreboard: 'points', label: '{user}' } }] },
  { id: 'give', type: 'command', params: { command: '!give' }, roles: ['moderator'], actions: [{ type: 'score.add', params: { scoreboard: 'points', label: '{arg1}', delta: '{arg2}' } }] },
  { id: 'typo', type: 'command', params: { command: '!typo' }, actions: [{ type: 'tally.add', params: { tally: 'deads', label: 'x' } }] },
];

export interface EngagementKernelOptions {
  dataDir?: string;
  clock?: TestClock;
  store?: StateStore;
  alice?: Record<string, unknown>;
  bob?: Record<string, unknown>;
  aliceTriggers?: unknown[];
  engagementConfig?: Record<string, unknown>;
}

/**
 * A real kernel with the exports plugin (writing to a temp dir, no mirror)
 * and the engagement plugin, two creators (alice with triggers, bob with
 * the defaults), on a test clock.
 */
export async function startEngagement(options: EngagementKernelOptions = {}) {
  const dataDir = options.dataDir ?? tempDir();
  const clock = options.clock ?? new TestClock();
  const t = await startTestKernel({
    plugins: [exportsPlugin, engagementPlugin],
    clock,
    ...(options.store === undefined ? {} : { services: [{ ref: stateStoreRef, factory: () => options.store! }] }),
    manifest: {
      dataDir,
      plugins: {
        exports: { config: { mirror: false } },
        engagement: { config: options.engagementConfig ?? {} },
      },
      creators: {
        alice: {
          enable: ['exports', 'engagement'],
          config: { engagement: options.alice ?? ALICE_CONFIG },
          triggers: options.aliceTriggers ?? ALICE_TRIGGERS,
        },
        bob: { enable: ['exports', 'engagement'], config: { engagement: options.bob ?? {} } },
      },
    },
  });
  kernels.push(t);
  const engagement: Engagement = t.kernel.resolve(engagementRef);
  return { t, dataDir, clock, engagement, root: join(dataDir, 'state') };
}

export type Outcome = { event: 'action.dispatched'; payload: ActionEvent } | { event: 'action.failed'; payload: ActionFailedEvent };

/**
 * Emits a chat message and resolves with the outcome of the first action
 * its trigger ran (the action id of a trigger's action names the message).
 */
export function act(t: TestKernel, msg: ChatMessage): Promise<Outcome> {
  const mine = (actionId: string) => actionId.includes(`:${msg.id}:`);
  const result = new Promise<Outcome>((resolve) => {
    const offs = [
      t.bus.on('action.dispatched', (payload) => {
        if (!mine(payload.actionId)) return;
        for (const off of offs) off();
        resolve({ event: 'action.dispatched', payload });
      }),
      t.bus.on('action.failed', (payload) => {
        if (!mine(payload.actionId)) return;
        for (const off of offs) off();
        resolve({ event: 'action.failed', payload });
      }),
    ];
  });
  t.bus.emit('chat.message', msg);
  return result;
}

/** Emits a chat message that is not a trigger (a vote, chatter). Votes are counted synchronously. */
export function say(t: TestKernel, msg: ChatMessage): void {
  t.bus.emit('chat.message', msg);
}

/** Parsed JSON of an exported file. */
export function readExport<T = Record<string, unknown>>(root: string, file: string): T {
  return JSON.parse(readFileSync(join(root, file), 'utf8')) as T;
}

export { readTree } from '@streamsuites/testing';

/** Log lines (parsed) that mention `code` anywhere. */
export function logsWith(t: TestKernel, code: string): Record<string, unknown>[] {
  return t.logs.lines.filter((line) => JSON.stringify(line).includes(code));
}

export const ENGAGEMENT_FILES = [
  'runtime/exports/polls.json',
  'runtime/exports/scoreboards.json',
  'runtime/exports/tallies.json',
  'runtime/signals/poll_votes.json',
  'runtime/signals/score_events.json',
  'runtime/signals/tally_events.json',
];
