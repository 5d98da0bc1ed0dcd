import { isPlainObject } from '../builder.js';
import type { MapContext, MappedCreator } from './context.js';

type Target = { plugin: string; path: string[] } | { quota: 'daily' | 'buffer' | 'timeZone' } | { reason: string };

const TWITCH_SEND = 'plugin-twitch applies Twitch\'s own chat send limits (20 per 30 s, 100 as moderator); they are not configurable';

/**
 * Where ratelimits.json's keys are configured today: the platform plugins'
 * own config (the rate-limit governor takes its policies from them) and
 * each YouTube creator's quota; the limits the platforms impose themselves
 * have no setting and are listed as unmapped.
 */
const RATE_LIMITS: Readonly<Record<string, Readonly<Record<string, Target>>>> = {
  twitch: {
    logins_per_10s: { plugin: 'twitch', path: ['loginsPer10s'] },
    send_queue_limit: { plugin: 'twitch', path: ['sendQueueLimit'] },
    messages_per_30s: { reason: TWITCH_SEND },
    moderator_messages_per_30s: { reason: TWITCH_SEND },
  },
  rumble: {
    requests_per_minute: { plugin: 'rumble', path: ['requestsPerMinute'] },
    sends_per_minute: { plugin: 'rumble', path: ['browser', 'sendsPerMinute'] },
  },
  youtube: {
    daily_units: { quota: 'daily' },
    buffer_units: { quota: 'buffer' },
    time_zone: { quota: 'timeZone' },
  },
  discord: {
    requests_per_second: { reason: 'discord.js follows Discord\'s own REST rate limits; there is no setting for them' },
  },
};

export function mapRateLimits(ctx: MapContext, creators: readonly MappedCreator[]): void {
  const limits = ctx.file('ratelimits.json')?.value.platforms;
  if (!isPlainObject(limits)) return;
  for (const [platform, values] of Object.entries(limits)) {
    if (!isPlainObject(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      const target = RATE_LIMITS[platform]?.[key];
      if (target === undefined) continue; // the schema reported it
      const at = ctx.origin('ratelimits.json', 'platforms', platform, key);
      const path = `/platforms/${platform}/${key}`;
      if ('reason' in target) {
        ctx.skip('ratelimits.json', path, target.reason);
      } else if ('plugin' in target) {
        if (ctx.declared.get(target.plugin)?.enabled !== true) ctx.skip('ratelimits.json', path, `no creator or file enables ${platform}, so there is no plugin to set it on`);
        else ctx.builder.merge(['plugins', target.plugin, 'config', ...target.path], value, at);
      } else {
        const users = creators.filter((c) => c.enable.includes('youtube'));
        if (users.length === 0) ctx.skip('ratelimits.json', path, 'no creator enables youtube, so there is no quota to set');
        for (const creator of users) ctx.builder.merge(['creators', creator.id, 'quotas', 'youtube', target.quota], value, at);
      }
    }
  }
}
