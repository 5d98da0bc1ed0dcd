import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaProblems } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const DEMO = fileURLToPath(new URL('../../../examples/demo/streamsuites.json', import.meta.url));

describe('streamsuites schema', () => {
  it("prints a JSON Schema with every declared plugin's config: the demo manifest passes it, a misspelt config key does not", async () => {
    const { code, stdout } = await cli(['schema', '--manifest', DEMO]);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout) as { properties: { plugins: { properties: Record<string, unknown> } } };
    expect(Object.keys(schema.properties.plugins.properties)).toEqual(expect.arrayContaining(['twitch', 'youtube', 'rumble', 'kick', 'x', 'clips', 'discord', 'identity']));
    const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as { plugins: Record<string, { config: Record<string, unknown> }>; creators: Record<string, { config: Record<string, Record<string, unknown>> }> };
    expect(schemaProblems(schema, demo)).toEqual([]);

    const broken = structuredClone(demo);
    broken.plugins.twitch!.config.chatUrll = 'ws://127.0.0.1:1';
    broken.creators.daniel!.config.twitch!.chanel = 'daniel';
    expect(schemaProblems(schema, broken).map((p) => p.path).sort()).toEqual(['/creators/daniel/config/twitch/chanel', '/plugins/twitch/config/chatUrll']);
  });

  it('a ${env:NAME} reference passes where the value has a pattern (the loader substitutes first); a wrong literal does not', async () => {
    const { stdout } = await cli(['schema', '--manifest', DEMO]);
    const schema = JSON.parse(stdout) as object;
    const demo = JSON.parse(readFileSync(DEMO, 'utf8')) as { logLevel?: string; creators: Record<string, { config: Record<string, Record<string, unknown>> }> };
    const youtube = demo.creators.maya!.config.youtube!;
    youtube.channelId = '${env:MAYA_YOUTUBE_CHANNEL}';
    demo.logLevel = '${env:LOG_LEVEL}';
    expect(schemaProblems(schema, demo)).toEqual([]);
    youtube.channelId = 'not a channel id';
    demo.logLevel = 'loud';
    expect(schemaProblems(schema, demo).map((p) => p.path).sort()).toEqual(['/creators/maya/config/youtube/channelId', '/logLevel']);
  });

  it('without a manifest: the default plugins and the official plugins installed here', async () => {
    const { code, stdout } = await cli(['schema']);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout) as { properties: Record<string, unknown> & { plugins: { properties: Record<string, unknown> } } };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['creators', 'tiers', 'identities', 'postingRules']));
    expect(schema.properties.plugins.properties.identity).toBeDefined();
  });
});
