import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionDispatcherRef, definePlugin, type EventName } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { channelNormalizers } from '../src/eventsub/normalize/channel.js';

// Twitch's reference redemption and cheer (fixtures/eventsub-channel) normalized, put on the bus,
// and run through @streamsuites/defaults' `event` triggers: the payloads fit what the triggers read.
const dir = new URL('../fixtures/eventsub-channel/', import.meta.url);
function normalized(file: string, creatorId: string, messageId: string) {
  const { subscription, event } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { subscription: { type: string; version: string }; event: Record<string, unknown> };
  const result = channelNormalizers[subscription.type]!(event, subscription.version, { creatorId, receivedAt: 1_700_000_000_000, sentAt: 1_700_000_000_000, messageId });
  if (result.kind !== 'channel-event') throw new Error(`${file}: ${result.kind}`);
  return result;
}

/** Stands in for the Twitch plugin's `chat.reply` (which needs a live connection). */
function replies() {
  const sent: { text: string; creatorId: string; platform?: string }[] = [];
  const plugin = definePlugin({
    id: 'replies',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init({ deps }) {
          deps.actions.registerHandler<{ text: string }>({
            type: 'chat.reply',
            platform: 'twitch',
            handle: (params, ctx) => void sent.push({ text: params.text, creatorId: ctx.creatorId, ...(ctx.message === undefined ? {} : { platform: ctx.message.platform }) }),
          });
        },
      });
    },
  });
  return { plugin, sent };
}

describe('Twitch channel events drive event triggers', () => {
  it('a normalized redemption and cheer fire their triggers, with {event.*} values', async () => {
    const r = replies();
    const t = await startTestKernel({
      plugins: [r.plugin],
      manifest: {
        creators: {
          c1: {
            enable: ['replies'],
            triggers: [
              {
                type: 'event',
                params: { event: 'twitch.redemption', where: { 'reward.title': 'title', 'reward.cost': { gte: 100 }, status: { in: ['unfulfilled', 'fulfilled'] } } },
                actions: [{ type: 'chat.reply', params: { text: '{user} redeemed {event.reward.title} ({event.reward.cost}): {event.userInput} [{event.redemptionId}]' } }],
              },
              {
                type: 'event',
                params: { event: 'twitch.cheer', where: { bits: { gte: 1000 } } },
                actions: [{ type: 'chat.reply', params: { text: '{user} cheered {event.bits}: {text}' } }],
              },
            ],
          },
        },
      },
    });
    for (const [file, id] of [['channel.channel_points_custom_reward_redemption.add.v1.json', 'm1'], ['channel.cheer.v1.json', 'm2']] as const) {
      const { event, payload } = normalized(file, 'c1', id);
      t.bus.emit(event as EventName, payload as never);
      // Another creator's copy of the same event fires nothing for c1.
      const other = normalized(file, 'c2', `${id}-other`);
      t.bus.emit(other.event as EventName, other.payload as never);
    }
    await new Promise((resolve) => setImmediate(resolve));
    await t.kernel.idle();
    expect(r.sent).toEqual([
      { text: 'Cooler_User redeemed title (100): pogchamp [1234]', creatorId: 'c1', platform: 'twitch' },
      { text: 'Cool_User cheered 1000: pogchamp', creatorId: 'c1', platform: 'twitch' },
    ]);
    expect(t.events.of('trigger.fired').map((f) => f.messageId)).toEqual(['m1', 'm2']);
    await t.stop();
  });
});
