import { schemaProblems } from '@streamsuites/kernel';
import { expect, it } from 'vitest';
import { streamlinkConfigSchema, streamlinkOptions } from '../src/index.js';

it('defaults to quality best and nothing else', () => {
  expect((streamlinkConfigSchema as { default?: unknown }).default).toEqual({});
  expect((streamlinkConfigSchema.properties.quality as { default?: unknown }).default).toBe('best');
  expect(schemaProblems(streamlinkConfigSchema, { quality: 'best' })).toEqual([]);
  expect(streamlinkOptions({ quality: 'best' })).toEqual({ quality: 'best' });
});

it('turns timeoutSec into timeoutMs and passes path and extraArgs', () => {
  expect(streamlinkOptions({ path: '/opt/sl', quality: '720p', extraArgs: ['--twitch-disable-ads'], timeoutSec: 12 })).toEqual({
    path: '/opt/sl',
    quality: '720p',
    extraArgs: ['--twitch-disable-ads'],
    timeoutMs: 12_000,
  });
});

it('refuses unknown keys, an empty quality and a bad timeout', () => {
  expect(schemaProblems(streamlinkConfigSchema, { quality: 'best', qualty: 'x' })).not.toEqual([]);
  expect(schemaProblems(streamlinkConfigSchema, { quality: 'best', timeoutSec: 0 })).not.toEqual([]);
  expect(schemaProblems(streamlinkConfigSchema, { quality: '' })).not.toEqual([]);
  expect(schemaProblems(streamlinkConfigSchema, { quality: 'best', extraArgs: '--x' })).not.toEqual([]);
});
