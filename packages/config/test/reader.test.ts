import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILES, configDirReader, readConfigDir, SS_ERR_CONFIG_DIR_NOT_FOUND } from '../src/index.js';
import { brief, copySample, DEMO_CONFIG, DEMO_MANIFEST, FULL_CONFIG, sample } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** enable lists compared as sets; a plugin or creator without settings has no config key. */
function normalize(manifest: Record<string, any>) {
  const copy = structuredClone(manifest);
  delete copy.$schema;
  for (const creator of Object.values(copy.creators ?? {}) as any[]) creator.enable.sort();
  for (const plugin of Object.values(copy.plugins ?? {}) as any[]) if (plugin.config === undefined) plugin.config = {};
  return copy;
}

describe('configDirReader: the demo sample', () => {
  it('reads into exactly the demo manifest (creators, plugins, triggers), with no problems', async () => {
    const document = await readConfigDir(DEMO_CONFIG);
    expect(document.issues).toEqual([]);
    expect(document.warnings).toEqual([]);
    expect(document.unmapped).toEqual([]);
    expect(normalize(document.value)).toEqual(normalize(JSON.parse(readFileSync(DEMO_MANIFEST, 'utf8'))));
    expect(document.baseDir).toBe(sample('demo'));
    // What run --watch watches: every file the folder may hold, so one created later is seen too.
    expect(document.files.map((f) => f.slice(DEMO_CONFIG.length + 1))).toEqual(CONFIG_FILES.map((f) => f.name));
  });

  it('locates every manifest path in the file and key it came from', async () => {
    const document = await readConfigDir(DEMO_CONFIG);
    const at = (path: string) => {
      const found = document.locate(path);
      return found === undefined ? undefined : `${found.file.slice(DEMO_CONFIG.length + 1)}:${found.line}:${found.column} ${found.path}`;
    };
    expect(at('/creators/maya/config/youtube/discovery/intervalSec')).toBe('creators.json:118:13 /creators/1/platforms/youtube/discovery/interval_sec');
    expect(at('/plugins/rumble/config/requestsPerMinute')).toBe('ratelimits.json:6:7 /platforms/rumble/requests_per_minute');
    expect(at('/creators/daniel/triggers/6/params/command')).toBe('chat_triggers.json:132:11 /creators/daniel/6/params/command');
    expect(at('/plugins/clips/config/destinations/destination/options/dir')).toBe('system.json:14:9 /clips/destination/options/dir');
    expect(at('/logLevel')).toBe('system.json:7:5 /system/log_level');
    // A path the folder does not have (a default the kernel adds): its closest located parent.
    expect(at('/creators/daniel/config/twitch/sendAs')).toBe('creators.json:10:9 /creators/0/platforms/twitch');
  });

  it('accepts folders only, and throws a coded error for a folder it cannot read', async () => {
    const reader = configDirReader();
    expect(reader.id).toBe('config-dir');
    expect(await reader.accepts(DEMO_CONFIG)).toBe(true);
    expect(await reader.accepts(DEMO_MANIFEST)).toBe(false);
    expect(await reader.accepts(join(DEMO_CONFIG, 'nope'))).toBe(false);
    await expect(reader.read(join(DEMO_CONFIG, 'nope'))).rejects.toSatisfy((e) => SS_ERR_CONFIG_DIR_NOT_FOUND.is(e));
  });
});

describe('configDirReader: the full sample (every file)', () => {
  it('maps every file to its manifest place and lists what has none', async () => {
    const document = await readConfigDir(FULL_CONFIG);
    expect(document.issues).toEqual([]);
    const value = document.value as Record<string, any>;
    expect(value.kernel).toBe('^0.2.0');
    expect(value.logLevel).toBe('info');
    expect(value.timeouts).toEqual({ startMs: 30000 });
    expect(value.plugins.clips).toEqual({
      package: '@streamsuites/plugin-clips',
      config: { concurrency: 2, maxClipSec: 60, destinations: { default_destination: { channel_url: 'https://rumble.com/c/StreamSuites' } } },
    });
    expect(value.plugins.twitch.config).toEqual({ redundancy: 2, reconnect: { initialMs: 1000, maxMs: 60000 }, loginsPer10s: 20 });
    expect(value.plugins.rumble.config).toEqual({ pollIntervalSec: 5, requestsPerMinute: 30 });
    expect(value.plugins.kick).toBeUndefined();
    expect(Object.keys(value.creators)).toEqual(['daniel', 'maya']);
    const daniel = value.creators.daniel;
    expect(daniel.enable).toEqual(['twitch', 'youtube', 'discord', 'clips', 'engagement', 'chatlog', 'exports']);
    expect(daniel.config.twitch.token).toBe('${env:TWITCH_OAUTH_TOKEN_DANIEL}');
    expect(daniel.tier).toBe('pro');
    expect(daniel.quotas).toEqual({ youtube: { daily: 10000, buffer: 500, timeZone: 'America/Los_Angeles' } });
    expect(daniel.clipRules).toEqual({ roles: ['everyone'], maxSeconds: 60, defaultSeconds: 30, cooldown: { user: '2m', creator: '20s' } });
    expect(daniel.postingRules.events['stream.online'].minIntervalSec).toBe(1800);
    expect(daniel.monetization.rates).toEqual({ EUR: 1.08, GBP: 1.27 });
    expect(daniel.triggers.map((t: { id: string }) => t.id)).toEqual(['hello', 'clip', 'poll']);
    expect(daniel.triggers[0].actions[0].params.text).toContain("Daniel's stream");
    expect(daniel.triggers[2].actions[0].params.durationSec).toBe(120);
    expect(value.creators.maya.triggers.map((t: { id: string }) => t.id)).toEqual(['hello']);
    expect(value.creators.maya.quotas).toBeUndefined();
    expect(value.tiers.free).toEqual({ maxTriggers: 5, maxClipSeconds: 30, clipsPerHour: 2, platforms: ['twitch', 'rumble'], maxCreators: 10 });
    expect(value.identities).toEqual({ ana: { displayName: 'Ana', accounts: ['twitch:41234567', 'youtube:UCana0000000000000000000'] } });
    expect(document.unmapped.map((u) => `${u.file} ${u.path}`)).toEqual([
      'logging.json /pretty',
      'platforms.json /platforms/kick',
      'creators.json /creators/2',
      'ratelimits.json /platforms/twitch/messages_per_30s',
    ]);
  });
});

describe('configDirReader: bad folders (every problem at once, with file, JSON path and line)', () => {
  it('a missing creators.json', async () => {
    const document = await readConfigDir(sample('broken', 'missing-creators'));
    expect(document.issues.map(brief)).toEqual(['creators.json SS_ERR_CONFIG_FILE_MISSING / -']);
    expect(document.value.creators).toEqual({});
  });

  it('extra files: a warning each (never blocking), with the known name it may be a typo of; other file types ignored', async () => {
    const seen: string[] = [];
    const document = await readConfigDir(sample('broken', 'extra-files'), { onWarning: (w) => seen.push(brief(w)) });
    expect(document.issues).toEqual([]);
    expect(document.warnings.map(brief)).toEqual(['notes.json SS_ERR_CONFIG_FILE_UNKNOWN / -', 'tier.json SS_ERR_CONFIG_FILE_UNKNOWN / -']);
    expect(seen).toEqual(document.warnings.map(brief));
    expect(document.warnings[1]!.hint).toContain('Did you mean "tiers.json"?');
    expect(Object.keys(document.value.creators as object)).toEqual(['daniel']);
  });

  it('unknown keys, each with a did-you-mean', async () => {
    const document = await readConfigDir(sample('broken', 'unknown-keys'));
    expect(document.issues.map(brief)).toEqual([
      'creators.json SS_ERR_CONFIG_UNKNOWN_KEY /creators/0/dispaly_name 7:7',
      'system.json SS_ERR_CONFIG_UNKNOWN_KEY /system/log_levle 4:15',
      'system.json SS_ERR_CONFIG_UNKNOWN_KEY /clip 5:3',
    ]);
    expect(document.issues.map((i) => i.hint)).toEqual([
      expect.stringContaining('Did you mean "display_name"?'),
      expect.stringContaining('Did you mean "log_level"?'),
      expect.stringContaining('Did you mean "clips"?'),
    ]);
  });

  it('a creator on an unknown tier, on an unknown or disabled platform, with an unknown service; a rule for an unknown creator', async () => {
    const document = await readConfigDir(sample('broken', 'unknown-tier-platform'));
    expect(document.issues.map(brief)).toEqual([
      'clip_rules.json SS_ERR_CONFIG_UNKNOWN_CREATOR /creators/danial 4:17',
      'creators.json SS_ERR_CONFIG_UNKNOWN_TIER /creators/0/tier 7:7',
      'creators.json SS_ERR_CONFIG_UNKNOWN_PLATFORM /creators/0/platforms/twich 9:9',
      'creators.json SS_ERR_CONFIG_DISABLED /creators/0/platforms/youtube 10:9',
      'creators.json SS_ERR_CONFIG_UNKNOWN_SERVICE /creators/0/services/clip 12:21',
    ]);
    const hints = document.issues.map((i) => i.hint);
    expect(hints[0]).toContain('Did you mean "daniel"?');
    expect(hints[2]).toContain('Did you mean "twitch"?');
    expect(hints[4]).toContain('Did you mean "clips"?');
  });

  it('a file written half-way: one located problem, and nothing of it is used', async () => {
    const document = await readConfigDir(sample('broken', 'half-written'));
    expect(document.issues.map(brief)).toEqual(['creators.json SS_ERR_CONFIG_PARSE / 8:38']);
    expect(document.issues[0]!.message).toContain('unterminated string');
    expect(document.value.creators).toEqual({});
    // The other files still map.
    expect(document.value.logLevel).toBe('debug');
  });

  it('a file written half-way is the only problem reported for it: nothing that needed its content is reported as unknown', async () => {
    const copy = copySample(FULL_CONFIG);
    cleanups.push(copy.remove);
    for (const name of ['tiers.json', 'platforms.json']) {
      const text = readFileSync(join(copy.dir, name), 'utf8');
      writeFileSync(join(copy.dir, name), text.slice(0, text.length / 2));
    }
    const document = await readConfigDir(copy.dir);
    expect(document.issues.map((i) => `${brief(i).split(' ').slice(0, 2).join(' ')}`)).toEqual(['platforms.json SS_ERR_CONFIG_PARSE', 'tiers.json SS_ERR_CONFIG_PARSE']);
    // The creators are still there, without the tier that could not be checked.
    expect((document.value.creators as Record<string, { tier?: string }>).daniel!.tier).toBeUndefined();
    const creators = copySample(sample('broken', 'half-written'));
    cleanups.push(creators.remove);
    writeFileSync(join(creators.dir, 'clip_rules.json'), JSON.stringify({ version: 1, creators: { daniel: { max_seconds: 30 } } }));
    expect((await readConfigDir(creators.dir)).issues.map(brief)).toEqual(['creators.json SS_ERR_CONFIG_PARSE / 8:38']);
  });

  it('duplicate keys, a creator listed twice, and one value set by two files', async () => {
    const copy = copySample(DEMO_CONFIG);
    cleanups.push(copy.remove);
    const creators = JSON.parse(readFileSync(join(copy.dir, 'creators.json'), 'utf8'));
    creators.creators.push({ ...creators.creators[2] });
    writeFileSync(join(copy.dir, 'creators.json'), JSON.stringify(creators, null, 2));
    const platforms = readFileSync(join(copy.dir, 'platforms.json'), 'utf8').replace('"poll_interval_sec": 1', '"poll_interval_sec": 1,\n      "requests_per_minute": 60,\n      "poll_interval_sec": 2');
    writeFileSync(join(copy.dir, 'platforms.json'), platforms);
    const document = await readConfigDir(copy.dir);
    expect(document.issues.map(brief)).toEqual([
      expect.stringMatching(/^creators\.json SS_ERR_CONFIG_DUPLICATE_CREATOR \/creators\/3\/creator_id \d+:\d+$/),
      'platforms.json SS_ERR_CONFIG_DUPLICATE_KEY /platforms/rumble/poll_interval_sec 39:7',
      'ratelimits.json SS_ERR_CONFIG_CONFLICT /platforms/rumble/requests_per_minute 6:7',
    ]);
    expect(document.issues[2]!.message).toBe('/plugins/rumble/config/requestsPerMinute is set both in platforms.json (platforms.rumble.requests_per_minute) and in ratelimits.json (platforms.rumble.requests_per_minute), to different values');
  });
});
