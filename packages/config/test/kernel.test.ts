import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, formatIssue, inspectManifest, type ManifestIssue, type ResolvedManifest } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import { configDirReader } from '../src/index.js';
import { brief, copySample, DEMO_CONFIG, DEMO_DIR, DEMO_MANIFEST, FULL_CONFIG, sample } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A resolved manifest without its source, enable lists as sets. */
function comparable(manifest: ResolvedManifest | undefined) {
  expect(manifest).toBeDefined();
  const { source: _source, ...rest } = structuredClone(manifest!);
  for (const creator of Object.values(rest.creators)) creator.enable.sort();
  return rest;
}

// The demo's plugin packages (its local servers and heartbeat) resolve from the demo's folder.
const demoReaders = () => [configDirReader({ baseDir: DEMO_DIR })];

describe('the kernel reads a configuration folder through the reader', () => {
  it('the demo sample resolves to the same manifest as examples/demo/streamsuites.json', async () => {
    const folder = await inspectManifest(DEMO_CONFIG, withDefaults({ readers: demoReaders(), env: {} }));
    expect(folder.issues.map(formatIssue)).toEqual([]);
    const file = await inspectManifest(DEMO_MANIFEST, withDefaults({ env: {} }));
    expect(file.issues).toEqual([]);
    expect(comparable(folder.manifest)).toEqual(comparable(file.manifest));
    expect(folder.manifest!.source).toBe(DEMO_CONFIG);
  });

  it("places plugins' and sections' problems in the folder's file, at the operator's key and line", async () => {
    const copy = copySample(DEMO_CONFIG);
    cleanups.push(copy.remove);
    const path = join(copy.dir, 'creators.json');
    const text = readFileSync(path, 'utf8')
      .replace('"bot_login": "daniel",', '"bot_login": "daniel",\n          "chanel_points": true,\n          "bot_logn": "daniel",')
      .replace('"max_entries": 10', '"max_entries": "ten"');
    writeFileSync(path, text);
    const triggers = join(copy.dir, 'chat_triggers.json');
    writeFileSync(triggers, readFileSync(triggers, 'utf8').replace('"type": "keyword"', '"type": "keywrod"'));
    const inspection = await inspectManifest(copy.dir, withDefaults({ readers: [configDirReader({ baseDir: DEMO_DIR })], env: {} }));
    expect(inspection.issues.map(brief)).toEqual(
      expect.arrayContaining([
        'creators.json SS_ERR_MANIFEST_UNKNOWN_KEY /creators/0/platforms/twitch/chanel_points 14:11',
        'creators.json SS_ERR_CONFIG_INVALID /creators/0/services/engagement/scoreboards/0/max_entries 70:15',
      ]),
    );
    const unknown = inspection.issues.find((i) => i.code === 'SS_ERR_MANIFEST_UNKNOWN_KEY' && i.path.endsWith('chanelPoints'))!;
    expect(unknown.filePath).toBe('/creators/0/platforms/twitch/chanel_points');
    expect(unknown.path).toBe('/creators/daniel/config/twitch/chanelPoints');
    // The problems only plugins find (a trigger's type) come from createKernel, also in their file.
    const error = await createKernel(withDefaults({ manifest: copy.dir, readers: [configDirReader({ baseDir: DEMO_DIR })], env: {}, logLevel: 'silent' })).then(
      async (kernel) => {
        await kernel.stop();
        return undefined;
      },
      (e: unknown) => e as { details: { issues: ManifestIssue[] } },
    );
    expect(error?.details.issues.map(brief)).toEqual(expect.arrayContaining(['chat_triggers.json SS_ERR_TRIGGER_TYPE_UNKNOWN /creators/daniel/1/type 30:9']));
    // The key and its did-you-mean as the operator spells them in the file (snake_case), not as the plugin's schema does.
    expect(formatIssue(unknown)).toBe(`${path}:14:11 /creators/0/platforms/twitch/chanel_points: unknown key "chanel_points" [SS_ERR_MANIFEST_UNKNOWN_KEY]`);
    const misspelt = inspection.issues.find((i) => i.code === 'SS_ERR_MANIFEST_UNKNOWN_KEY' && i.path.endsWith('botLogn'))!;
    expect(misspelt.message).toBe('unknown key "bot_logn"');
    expect(misspelt.hint).toContain('Did you mean "bot_login"?');
  });

  it("lists the reader's problems with the kernel's, every one in its file", async () => {
    const inspection = await inspectManifest(sample('broken', 'unknown-keys'), withDefaults({ readers: [configDirReader()], env: {} }));
    const lines = inspection.issues.map(brief);
    expect(lines).toEqual(expect.arrayContaining(['creators.json SS_ERR_CONFIG_UNKNOWN_KEY /creators/0/dispaly_name 7:7', 'system.json SS_ERR_CONFIG_UNKNOWN_KEY /clip 5:3']));
    // Reported once: the reader's unknown key is not mapped for the kernel to report again.
    expect(lines.filter((l) => l.includes('log_levle') || l.includes('logLevle'))).toEqual(['system.json SS_ERR_CONFIG_UNKNOWN_KEY /system/log_levle 4:15']);
    // plugin-twitch itself reports the unknown setting under the platform, in creators.json.
    expect(lines).toEqual(expect.arrayContaining(['creators.json SS_ERR_MANIFEST_UNKNOWN_KEY /creators/0/platforms/twitch/chanel_points 9:82']));
    expect(inspection.manifest).toBeUndefined();
  });

  it('the full sample (every file) is valid: each file lands in a section the plugins check (tiers, rules, identities, quotas)', async () => {
    const env = {
      TWITCH_OAUTH_TOKEN_DANIEL: 'abcdefghijklmnopqrstuvwxyz012345',
      TWITCH_CLIENT_ID: 'fakeclientid0000000000000000000',
      YOUTUBE_CLIENT_ID: '000000000000-streamsuitesfake.apps.googleusercontent.com',
      YOUTUBE_CLIENT_SECRET: 'GOCSPX-streamsuites-fake-secret',
      YOUTUBE_REFRESH_TOKEN_DANIEL: '1//streamsuites-fake-refresh-token',
      RUMBLE_LIVESTREAM_API_URL_MAYA: 'https://rumble.com/-livestream-api/get-data?key=mayaKeyForTheLocalFakeRumbleApi00000',
      DISCORD_BOT_TOKEN: 'demo.local-discord.token-for-the-fake-server',
    };
    // Every official plugin is installed beside the demo.
    const inspection = await inspectManifest(FULL_CONFIG, withDefaults({ readers: [configDirReader({ baseDir: DEMO_DIR })], env }));
    expect(inspection.issues.map(formatIssue)).toEqual([]);
    const manifest = inspection.manifest!;
    expect(Object.keys(manifest.sections).sort()).toEqual(['identities', 'tiers']);
    expect(Object.keys(manifest.creators.daniel!.sections).sort()).toEqual(['chatBehaviour', 'clipRules', 'monetization', 'postingRules', 'quotas', 'tier', 'triggers']);
    expect(manifest.creators.daniel!.sections.chatBehaviour).toMatchObject({ userRateLimit: { messages: 5, perSec: 10, action: 'warn' }, firstTimeGreeting: { text: 'Welcome to the stream, {user}!' } });
    expect(manifest.plugins.rumble!.config).toMatchObject({ requestsPerMinute: 30, pollIntervalSec: 5 });
  });

  it('an unknown tier is reported once, by the reader, in creators.json (the tier plugin does not repeat it)', async () => {
    const inspection = await inspectManifest(sample('broken', 'unknown-tier-platform'), withDefaults({ readers: [configDirReader()], env: {} }));
    expect(inspection.issues.filter((i) => /TIER/.test(i.code)).map(brief)).toEqual(['creators.json SS_ERR_CONFIG_UNKNOWN_TIER /creators/0/tier 7:7']);
  });

  it('a manifest can include a folder; its own values win', async () => {
    const copy = copySample(sample('minimal', 'shared', 'config'), true);
    cleanups.push(copy.remove);
    const manifestPath = join(copy.root, 'streamsuites.json');
    writeFileSync(manifestPath, JSON.stringify({ include: ['./shared/config'], logLevel: 'warn', creators: { daniel: { displayName: 'Daniel (live)' } } }, null, 2));
    const env = { TWITCH_OAUTH_TOKEN_DANIEL: 'abcdefghijklmnopqrstuvwxyz012345' };
    const inspection = await inspectManifest(manifestPath, withDefaults({ readers: [configDirReader()], env }));
    expect(inspection.issues.map(formatIssue)).toEqual([]);
    expect(inspection.manifest!.logLevel).toBe('warn');
    expect(inspection.manifest!.creators.daniel!.displayName).toBe('Daniel (live)');
    expect(inspection.manifest!.creators.daniel!.enable.sort()).toEqual(['chatlog', 'exports', 'twitch']);
    expect(inspection.manifest!.creators.daniel!.config.twitch).toMatchObject({ channel: 'daniel', botLogin: 'streamsuites_bot', token: env.TWITCH_OAUTH_TOKEN_DANIEL });
  });
});
