import { schemaProblems } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import * as destinations from '../src/destinations.js';
import * as errors from '../src/destinations/errors.js';
import {
  DEFAULT_CHANNEL_URL,
  HttpDestination,
  LocalDestination,
  RumbleDestination,
  SS_ERR_CLIPS_DESTINATION_INVALID,
  destinationDefaultsSchema,
  destinationRuleSchema,
  resolveDestination,
} from '../src/destinations.js';
import type { ClipDestination } from '../src/types.js';

describe('resolveDestination', () => {
  it('defaults to Rumble, to clips.default_destination.channel_url (https://rumble.com/c/StreamSuites when unset)', () => {
    const fallback = resolveDestination(undefined);
    expect(fallback).toBeInstanceOf(RumbleDestination);
    expect(fallback.kind).toBe('rumble');
    expect((fallback as RumbleDestination).describe()).toMatchObject({ channelUrl: DEFAULT_CHANNEL_URL, uploadUrl: 'https://rumble.com/upload.php', login: 'none' });
    expect(DEFAULT_CHANNEL_URL).toBe('https://rumble.com/c/StreamSuites');

    const configured = resolveDestination(undefined, { default_destination: { channel_url: 'https://rumble.com/c/OtherShow' } });
    expect((configured as RumbleDestination).describe()).toMatchObject({ channelUrl: 'https://rumble.com/c/OtherShow' });
  });

  it('merges plugin-wide Rumble settings under a creator rule, the creator winning field by field', () => {
    const destination = resolveDestination(
      { kind: 'rumble', options: { channelUrl: 'https://rumble.com/c/DanielClips', timeouts: { publishMs: 1000 } } },
      {
        default_destination: { channel_url: 'https://rumble.com/c/StreamSuites' },
        rumble: { username: 'bot', password: 'plugin-wide-secret', screenshotDir: '/tmp/shots', timeouts: { navigationMs: 5000 } },
      },
    ) as RumbleDestination;
    const described = destination.describe();
    expect(described).toMatchObject({
      channelUrl: 'https://rumble.com/c/DanielClips',
      login: 'configured',
      screenshotDir: '/tmp/shots',
      timeouts: { navigationMs: 5000, actionMs: 15_000, publishMs: 1000 },
    });
    expect(JSON.stringify(described)).not.toContain('plugin-wide-secret');
  });

  it('never pairs a creator username with the plugin-wide password', () => {
    expect(() =>
      resolveDestination({ kind: 'rumble', options: { username: 'daniel' } }, { rumble: { username: 'bot', password: 'plugin-wide-secret' } }),
    ).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
    const own = resolveDestination(
      { kind: 'rumble', options: { username: 'daniel', password: 'daniels-own-secret' } },
      { rumble: { username: 'bot', password: 'plugin-wide-secret' } },
    ) as RumbleDestination;
    expect(own.describe().login).toBe('configured');
  });

  it('uses the plugin-wide rule for creators without one', () => {
    const destination = resolveDestination(undefined, { destination: { kind: 'local', options: { dir: '/srv/clips' } } });
    expect(destination).toBeInstanceOf(LocalDestination);
    expect((destination as LocalDestination).describe()).toMatchObject({ dir: '/srv/clips', fileName: '{clipId}.{ext}' });
  });

  it('builds local and http destinations from creator rules', () => {
    const local = resolveDestination({ kind: 'local', options: { dir: '/srv/clips', publicBaseUrl: 'https://clips.example.test/' } }, { destination: { kind: 'rumble' } });
    expect(local).toBeInstanceOf(LocalDestination);
    const http = resolveDestination({ kind: 'http', options: { url: 'https://up.example.test/clips?key=abc123', headers: { Authorization: 'Bearer s3cr3t-t0ken' }, attempts: 5 } });
    expect(http).toBeInstanceOf(HttpDestination);
    const described = (http as HttpDestination).describe();
    expect(described).toEqual({ kind: 'http', url: 'https://up.example.test/clips', method: 'POST', headers: ['Authorization'], urlField: 'url', attempts: 5 });
    expect(JSON.stringify(described)).not.toMatch(/s3cr3t|abc123/);
  });

  it('builds kinds added by other plugins, but not unknown ones', () => {
    const calls: unknown[] = [];
    const custom: ClipDestination = { kind: 'youtube-shorts', upload: async () => ({ url: 'https://youtube.test/shorts/1' }) };
    const kinds = {
      'youtube-shorts': (options: Record<string, unknown>) => {
        calls.push(options);
        return custom;
      },
    };
    expect(resolveDestination({ kind: 'youtube-shorts', options: { privacy: 'unlisted' } }, { kinds })).toBe(custom);
    expect(calls).toEqual([{ privacy: 'unlisted' }]);
    expect(() => resolveDestination({ kind: 'tiktok' }, { kinds })).toThrow(/unknown kind; use local, http, rumble, or load the plugin that adds "tiktok"/);
    expect(() => resolveDestination({ kind: 'bad', options: {} }, { kinds: { bad: () => ({}) as never } })).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
  });

  it('rejects missing or unknown options with SS_ERR_CLIPS_DESTINATION_INVALID', () => {
    expect(() => resolveDestination({ kind: 'local' } as never)).toThrow(/options.dir/);
    expect(() => resolveDestination({ kind: 'http' } as never)).toThrow(/options.url/);
    expect(() => resolveDestination({ kind: 'local', options: { dir: '/x', publicBaseURL: 'https://typo.test' } } as never)).toThrow(/unknown option "publicBaseURL"/);
    expect(() => resolveDestination({ kind: 'rumble', options: { password: 'only-a-password' } })).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
    expect(() => resolveDestination({ kind: 'rumble', options: { uploadUrl: 'file:///etc/passwd' } })).toThrow(/uploadUrl/);
    expect(() => resolveDestination({ kind: '' })).toThrow(SS_ERR_CLIPS_DESTINATION_INVALID);
  });
});

describe('destination config schemas', () => {
  it('accept the documented rule shapes and reject bad ones', () => {
    expect(schemaProblems(destinationRuleSchema, { kind: 'local', options: { dir: './clips', publicBaseUrl: 'https://cdn.test/c' } })).toEqual([]);
    expect(schemaProblems(destinationRuleSchema, { kind: 'http', options: { url: 'https://up.test/', headers: { Authorization: 'Bearer x' }, urlField: 'data.url', attempts: 3 } })).toEqual([]);
    expect(schemaProblems(destinationRuleSchema, { kind: 'rumble' })).toEqual([]);
    expect(schemaProblems(destinationRuleSchema, { kind: 'rumble', options: { channelUrl: 'https://rumble.com/c/X', selectors: { title: '#t' } } })).toEqual([]);
    expect(schemaProblems(destinationRuleSchema, { kind: 'http', options: { url: 'ftp://x' } })).not.toEqual([]);
    expect(schemaProblems(destinationRuleSchema, { kind: 'http', options: { url: 'https://x', attempts: 0 } })).not.toEqual([]);
    expect(schemaProblems(destinationRuleSchema, { kind: 'ftp', options: {} })).not.toEqual([]);
    expect(
      schemaProblems(destinationDefaultsSchema, {
        default_destination: { channel_url: 'https://rumble.com/c/StreamSuites' },
        rumble: { username: 'bot', password: 'pw', screenshotDir: './shots' },
      }),
    ).toEqual([]);
  });
});

describe('destination errors', () => {
  it('each key equals its code, and each has a hint', () => {
    for (const [key, value] of Object.entries(errors)) {
      expect(value.code).toBe(key);
      expect(new (value as new (a: string, b: string) => Error & { hint?: string })('x', 'y').hint).toBeTruthy();
    }
    expect(Object.keys(errors).sort()).toEqual(['SS_ERR_CLIPS_CHROMIUM_MISSING', 'SS_ERR_CLIPS_DESTINATION_INVALID', 'SS_ERR_CLIPS_UPLOAD_FAILED']);
    // The barrel re-exports every code.
    for (const key of Object.keys(errors)) expect(key in destinations).toBe(true);
  });
});
