/** The vendored EventSub examples (fixtures/eventsub) and the fake's use of them. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conditionMatches, conditionProblem } from '../src/fake/eventsub/catalog.js';
import { CHAT_MESSAGE_EVENT_TEMPLATE } from '../src/fake/eventsub/templates.js';
import { EVENTSUB_TYPE_RULES } from '../src/testing.js';

const dir = new URL('../fixtures/eventsub/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const read = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
const payloads = files.filter((f) => !f.endsWith('.frame.json'));
const frames = files.filter((f) => f.endsWith('.frame.json'));

const TYPES_OF_THE_ISSUE = [
  'channel.chat.message',
  'channel.chat.notification',
  'channel.chat.message_delete',
  'channel.chat.clear',
  'channel.chat.clear_user_messages',
  'channel.chat_settings.update',
  'channel.follow',
  'channel.subscribe',
  'channel.subscription.gift',
  'channel.subscription.message',
  'channel.cheer',
  'channel.raid',
  'channel.channel_points_custom_reward_redemption.add',
  'channel.hype_train.begin',
  'channel.hype_train.progress',
  'channel.hype_train.end',
  'channel.poll.begin',
  'channel.poll.progress',
  'channel.poll.end',
  'channel.prediction.begin',
  'channel.prediction.progress',
  'channel.prediction.end',
  'channel.ad_break.begin',
  'channel.shoutout.create',
  'channel.shoutout.receive',
  'stream.online',
  'stream.offline',
];

describe('fixtures/eventsub', () => {
  it('has a payload for every type of the issue and a rule for each', () => {
    const types = new Set(payloads.map((f) => read(f).subscription.type));
    for (const t of TYPES_OF_THE_ISSUE) {
      expect(types.has(t), t).toBe(true);
      expect(EVENTSUB_TYPE_RULES[t], t).toBeDefined();
    }
  });

  it('SOURCES.md names every file', () => {
    const sources = readFileSync(new URL('SOURCES.md', dir), 'utf8');
    for (const f of files) expect(sources, f).toContain(`\`${f}\``);
  });

  it.each(payloads)('%s: named by its type and version; the example event matches its own condition', (file) => {
    const { subscription, event } = read(file);
    expect(file.startsWith(`${subscription.type}.v${subscription.version}`)).toBe(true);
    expect(typeof event).toBe('object');
    expect(conditionMatches(subscription.condition, event)).toBe(true);
    const rule = EVENTSUB_TYPE_RULES[subscription.type]?.[subscription.version];
    if (rule) expect(conditionProblem(rule, subscription.condition)).toBeNull();
  });

  it.each(frames)('%s: a whole frame with Twitch metadata', (file) => {
    const { metadata, payload } = read(file);
    expect(typeof metadata.message_id).toBe('string');
    expect(['session_welcome', 'session_keepalive', 'notification', 'session_reconnect', 'revocation']).toContain(metadata.message_type);
    expect(metadata.message_timestamp).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(payload).toBeTypeOf('object');
  });

  it('the fake\'s chat template is the fixture\'s example event', () => {
    expect(CHAT_MESSAGE_EVENT_TEMPLATE).toEqual(read('channel.chat.message.v1.json').event);
  });

  it('a condition that names another broadcaster does not match', () => {
    const { subscription, event } = read('channel.cheer.v1.json');
    expect(conditionMatches({ ...subscription.condition, broadcaster_user_id: 'other' }, event)).toBe(false);
    const redemption = read('channel.channel_points_custom_reward_redemption.add.v1.json');
    expect(conditionMatches({ broadcaster_user_id: redemption.event.broadcaster_user_id, reward_id: redemption.event.reward.id }, redemption.event)).toBe(true);
    expect(conditionMatches({ broadcaster_user_id: redemption.event.broadcaster_user_id, reward_id: 'nope' }, redemption.event)).toBe(false);
  });
});
