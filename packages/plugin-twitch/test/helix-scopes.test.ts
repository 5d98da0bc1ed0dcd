import { MemoryStateStore } from '@streamsuites/defaults';
import { describe, expect, it } from 'vitest';
import { SS_ERR_TWITCH_HELIX_FAILED } from '../src/errors.js';
import { featureOfEventType, featuresFor, isTwitchFeature, missingScopes, scopesFor, TWITCH_DEFAULT_FEATURES, TWITCH_FEATURE_SCOPES, TWITCH_FEATURES } from '../src/helix/scopes.js';
import { EVENTSUB_TYPE_RULES } from '../src/testing.js';
import { readUserTokens, saveUserTokens, type StoredUserTokens } from '../src/helix/token-store.js';

describe('the feature → scopes table', () => {
  it('holds the scopes Twitch documents for chat over the API, redemptions and channel events', () => {
    expect(TWITCH_FEATURE_SCOPES['chat.read'].user).toEqual(['user:read:chat']);
    expect(TWITCH_FEATURE_SCOPES['chat.read'].app).toEqual(['user:bot']);
    expect(TWITCH_FEATURE_SCOPES['chat.send'].user).toEqual(['user:write:chat']);
    expect(TWITCH_FEATURE_SCOPES['redemptions.update'].user).toEqual(['channel:manage:redemptions']);
    expect(TWITCH_FEATURE_SCOPES['events.follow'].user).toEqual(['moderator:read:followers']);
    expect(TWITCH_FEATURE_SCOPES['events.cheer'].user).toEqual(['bits:read']);
    expect(TWITCH_FEATURE_SCOPES['events.subscribe'].user).toEqual(['channel:read:subscriptions']);
    expect(TWITCH_FEATURE_SCOPES['events.redemption'].user).toEqual([['channel:read:redemptions', 'channel:manage:redemptions']]);
    expect(TWITCH_FEATURE_SCOPES['events.stream'].user).toEqual([]);
    expect(TWITCH_DEFAULT_FEATURES).toEqual(['chat.read', 'chat.send']);
    expect(TWITCH_FEATURES).toContain('events.hype-train');
    // Every scope is a Twitch-shaped name.
    const all = TWITCH_FEATURES.flatMap((f) => [...TWITCH_FEATURE_SCOPES[f].user, ...((TWITCH_FEATURE_SCOPES[f] as { app?: string[] }).app ?? [])].flat());
    for (const scope of all) expect(scope).toMatch(/^[a-z_]+(:[a-z_]+)+$/);
  });

  it('scopesFor lists what to ask for, deduplicated, with user:bot for app tokens', () => {
    expect(scopesFor(['chat.read', 'chat.send', 'chat.notifications'])).toEqual(['user:read:chat', 'user:write:chat']);
    expect(scopesFor(['chat.read', 'chat.send'], 'app')).toEqual(['user:read:chat', 'user:bot', 'user:write:chat']);
    expect(scopesFor(['events.poll', 'events.stream'])).toEqual(['channel:read:polls']);
  });

  it('missingScopes names each feature and scope a token lacks', () => {
    expect(missingScopes(['user:read:chat', 'user:write:chat'], ['chat.read', 'chat.send'])).toEqual([]);
    expect(missingScopes(['user:read:chat'], ['chat.read', 'chat.send', 'redemptions.update'])).toEqual([
      { feature: 'chat.send', scope: 'user:write:chat' },
      { feature: 'redemptions.update', scope: 'channel:manage:redemptions' },
    ]);
    expect(missingScopes(['user:read:chat', 'user:write:chat'], ['chat.read', 'chat.send'], 'app')).toEqual([
      { feature: 'chat.read', scope: 'user:bot' },
      { feature: 'chat.send', scope: 'user:bot' },
    ]);
  });

  it('an alternative is satisfied by either scope, and reported with anyOf when neither is granted', () => {
    expect(missingScopes(['channel:manage:redemptions'], ['events.redemption'])).toEqual([]);
    expect(missingScopes(['channel:read:redemptions'], ['events.redemption'])).toEqual([]);
    expect(missingScopes([], ['events.redemption'])).toEqual([
      { feature: 'events.redemption', scope: 'channel:read:redemptions', anyOf: ['channel:read:redemptions', 'channel:manage:redemptions'] },
    ]);
  });

  it('an unknown feature is a coded error', () => {
    expect(isTwitchFeature('chat.read')).toBe(true);
    expect(isTwitchFeature('toString')).toBe(false);
    expect(() => missingScopes([], ['chat.write' as never])).toThrow(expect.objectContaining({ code: SS_ERR_TWITCH_HELIX_FAILED.code }));
  });
});

describe('EventSub types → features', () => {
  it('maps each subscription type to its feature, and a creator\'s events to the features to authorize', () => {
    expect(featureOfEventType('channel.follow')).toBe('events.follow');
    expect(featureOfEventType('channel.channel_points_custom_reward_redemption.add')).toBe('events.redemption');
    expect(featureOfEventType('channel.chat.message')).toBe('chat.read');
    expect(featureOfEventType('channel.unknown_thing')).toBeUndefined();
    expect(featuresFor(['channel.follow', 'channel.raid', 'channel.cheer', 'channel.follow', 'channel.nope'])).toEqual({
      features: ['chat.read', 'chat.send', 'events.follow', 'events.raid', 'events.cheer'],
      unknown: ['channel.nope'],
    });
    expect(scopesFor(featuresFor(['channel.follow', 'channel.raid']).features)).toEqual(['user:read:chat', 'user:write:chat', 'moderator:read:followers']);
  });

  it('agrees with the fake Twitch\'s per-type rules: every type it knows is in the table, and the scopes we ask for satisfy it', () => {
    const problems: string[] = [];
    for (const [type, versions] of Object.entries(EVENTSUB_TYPE_RULES)) {
      const feature = featureOfEventType(type);
      if (feature === undefined) {
        problems.push(`${type}: not in the table`);
        continue;
      }
      const asked = scopesFor([feature]);
      for (const [version, rule] of Object.entries(versions)) {
        if (rule.anyOf.length > 0 && !rule.anyOf.some((scope) => asked.includes(scope))) problems.push(`${type} v${version}: we ask ${asked.join(' ')}, it needs one of ${rule.anyOf.join(' ')}`);
        if (rule.anyOf.length === 0 && asked.length > 0) problems.push(`${type} v${version}: needs no scope, we ask ${asked.join(' ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('user token records', () => {
  const record: StoredUserTokens = {
    kind: 'device', login: 'BotAccount', userId: '2002', clientId: 'client-abc', accessToken: 'acc', refreshToken: 'ref',
    scopes: ['user:read:chat'], obtainedAt: 1, expiresAt: 2,
  };

  it('are kept in twitch.accounts under the lowercased login and read back', async () => {
    const store = new MemoryStateStore();
    await saveUserTokens(store, record);
    expect(await store.get('twitch.accounts', 'botaccount')).toEqual(record);
    expect(await readUserTokens(store, 'BOTACCOUNT')).toEqual(record);
  });

  it("a TokenBook record (creator 'daniel') and a device record (account 'daniel') do not overwrite each other", async () => {
    const store = new MemoryStateStore();
    await store.set('twitch.tokens', 'daniel', { configured: 'x', accessToken: 'a', refreshToken: 'r', refreshedAt: 1 });
    expect(await readUserTokens(store, 'daniel')).toBeUndefined();
    await saveUserTokens(store, { ...record, login: 'daniel' });
    expect(await store.get('twitch.tokens', 'daniel')).toMatchObject({ configured: 'x' });
    expect(await readUserTokens(store, 'daniel')).toMatchObject({ kind: 'device', login: 'daniel' });
    expect(await readUserTokens(store, 'nobody')).toBeUndefined();
  });
});
