/**
 * chat_events.json marks the bot's own replies (`bot: true`), and only those:
 * a platform that drops its echo (Twitch, Rumble, Kick) shows the reply only
 * as `action.dispatched`; one that shows the bot its own messages (YouTube)
 * sends it back as chat, before or after the send call returns.
 */
import { join } from 'node:path';
import { actionDispatcherRef, definePlugin, ManualClock, type EventBus } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { RuntimeObserver } from '../src/observer.js';
import { chatAt, writtenAt } from './dashboard-helpers.js';
import { exportsKernel, SECRET_TOKEN, tempDir } from './helpers.js';

const CHAT = 'runtime/signals/chat_events.json';
const T = Date.UTC(2026, 10, 27, 12, 0, 0);

type Row = { at: string; creator: string; platform: string; messageId: string; author: { displayName: string; roles: string[] }; text: string; bot?: true };

/** chat.reply handlers: twitch drops its echo; youtube echoes each reply back as chat from the bot, before returning (`early`) or after. */
function replier(clock: ManualClock, echo: { early: boolean }) {
  let bus: EventBus | undefined;
  const echoOf = (creatorId: string, text: string) => bus!.emit('chat.message', chatAt(clock, creatorId, 'youtube', text, 'streamsuites_bot'));
  const pending: (() => void)[] = [];
  const plugin = definePlugin({
    id: 'replier',
    version: '1.0.0',
    kernel: '^0.2.0',
    register: (reg) =>
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init: ({ deps }) => {
          deps.actions.registerHandler<{ text: string }>({ type: 'chat.reply', platform: 'twitch', handle: () => undefined });
          deps.actions.registerHandler<{ text: string }>({
            type: 'chat.reply',
            platform: 'youtube',
            handle: (params, ctx) => {
              // YouTube flattens whitespace: the echo is the text as YouTube shows it.
              const shown = params.text.replace(/\s+/g, ' ').trim();
              clock.advance(200); // the round trip to the platform
              if (echo.early) echoOf(ctx.creatorId, shown);
              else pending.push(() => echoOf(ctx.creatorId, shown));
            },
          });
        },
      }),
  });
  return { plugin, attach: (b: EventBus) => void (bus = b), flushEchoes: () => pending.splice(0).forEach((f) => f()) };
}

describe('chat_events.json: the bot\'s own replies', () => {
  it('marks the reply on a platform without echo, and an echo that comes after or before the send returned — one row per reply, and nothing else', async () => {
    const clock = new ManualClock(T);
    const echo = { early: false };
    const r = replier(clock, echo);
    const dataDir = tempDir();
    const root = join(dataDir, 'state');
    const t = await exportsKernel(dataDir, { now: () => clock.now(), config: { debounceMs: 0 }, plugins: [r.plugin] });
    r.attach(t.bus);
    await writtenAt(root, CHAT, clock);
    const dispatcher = t.kernel.resolve(actionDispatcherRef);
    const reply = (platform: string, text: string, trigger = chatAt(clock, 'alice', platform, '!hello')) =>
      dispatcher.dispatch({ type: 'chat.reply', params: { text } }, { creatorId: 'alice', message: trigger });

    // Twitch: a viewer's command, the trigger's reply (alice's manifest trigger: `hi {user}, token ${env:TOKEN}`).
    clock.advance(1000);
    t.bus.emit('chat.message', chatAt(clock, 'alice', 'twitch', '!hello', 'viewer_login'));
    await t.events.waitFor('action.dispatched', (e) => e.platform === 'twitch');
    // YouTube, the echo after the send returned: the reply's row becomes the echo (its id and author), once.
    clock.advance(1000);
    t.bus.emit('chat.message', chatAt(clock, 'alice', 'youtube', 'see you   later', 'viewer2'));
    await reply('youtube', 'see you   later');
    clock.advance(1000);
    r.flushEchoes();
    // The same words from a viewer afterwards are chat, not the bot.
    t.bus.emit('chat.message', chatAt(clock, 'alice', 'youtube', 'see you later', 'viewer3'));
    // YouTube, the echo before the send returned (streamed back first): that message is marked.
    echo.early = true;
    clock.advance(1000);
    await reply('youtube', 'thanks for the raid!');
    // A dry run sends nothing: no row, no mark.
    dispatcher.setDryRun(true, 'alice');
    clock.advance(1000);
    await reply('youtube', 'dry run text');
    t.bus.emit('chat.message', chatAt(clock, 'alice', 'youtube', 'dry run text', 'viewer4'));
    dispatcher.setDryRun(false, 'alice');
    clock.advance(1000);
    t.bus.emit('chat.message', chatAt(clock, 'bob', 'twitch', 'write now'));

    const rows = (await writtenAt(root, CHAT, clock)).events as Row[];
    const view = rows.map((row) => [row.platform, row.author.displayName, row.text, row.bot ?? false]);
    expect(view).toEqual([
      ['twitch', 'VIEWER_LOGIN', '!hello', false],
      ['twitch', '', 'hi VIEWER_LOGIN, token [redacted]', true],
      ['youtube', 'VIEWER2', 'see you   later', false],
      ['youtube', 'STREAMSUITES_BOT', 'see you later', true],
      ['youtube', 'VIEWER3', 'see you later', false],
      ['youtube', 'STREAMSUITES_BOT', 'thanks for the raid!', true],
      ['youtube', 'VIEWER4', 'dry run text', false],
      ['twitch', 'VIEWER', 'write now', false],
    ]);
    // The twitch reply's row: the action's id, when the send finished; every row keeps creator, platform and roles.
    expect(rows[1]).toMatchObject({ creator: 'alice', messageId: expect.stringContaining('alice'), author: { roles: [] } });
    expect(rows[0]!.author.roles).toEqual(['subscriber']);
    expect(rows[3]!.messageId).toMatch(/^alice-youtube-/);
    expect(JSON.stringify(rows)).not.toContain(SECRET_TOKEN);
    await t.stop();
  });
});

describe('the observer: a reply the platform split into several messages', () => {
  it('marks each piece coming back, and not a short line that happens to be inside the reply', () => {
    let now = T;
    const observer = new RuntimeObserver(50, () => now);
    const long = `${'a'.repeat(150)} ${'b'.repeat(150)} the end`;
    observer.action({ actionId: 'act-1', creatorId: 'alice', platform: 'youtube', action: { type: 'chat.reply', params: { text: long } }, dryRun: false, at: T });
    const chat = (text: string, login: string) => {
      now += 100;
      observer.chat(chatMessage({ id: `m${now}`, creatorId: 'alice', platform: 'youtube', text, receivedAt: now, author: { login } }));
    };
    chat('the end', 'viewer'); // short: never taken for a piece
    chat('a'.repeat(150), 'bot');
    chat(`${'b'.repeat(150)} the end`, 'bot');
    const rows = observer.chatWindow() as Row[];
    expect(rows.map((r) => [r.messageId.startsWith('m') ? 'chat' : 'reply', r.text.slice(0, 3), r.bot ?? false])).toEqual([
      ['chat', 'aaa', true], // the first piece took the reply's row
      ['chat', 'the', false],
      ['chat', 'bbb', true],
    ]);
  });
});
