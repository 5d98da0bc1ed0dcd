import { SS_ERR_MANIFEST_INVALID, type ManifestIssue } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { channelOfAddress } from '../src/index.js';
import { countNetwork, startPilled } from './helpers.js';

/** The issues of the SS_ERR_MANIFEST_INVALID that booting `start` throws. */
async function issuesOf(start: Promise<unknown>): Promise<Pick<ManifestIssue, 'code' | 'path'>[]> {
  const error = await start.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(SS_ERR_MANIFEST_INVALID.is(error)).toBe(true);
  const issues = (error as InstanceType<typeof SS_ERR_MANIFEST_INVALID>).details as { issues: ManifestIssue[] };
  return issues.issues.map(({ code, path }) => ({ code, path }));
}

describe('plugin-pilled config', () => {
  it('reports every problem of every creator at once, each with its JSON path and code, before anything starts', async () => {
    const net = countNetwork();
    const issues = await issuesOf(
      startPilled({
        creators: {
          nochannel: {},
          pasted: { channel: 'https://pilled.net/ThirdRailify' },
          typo: { channel: 'maya', pilled: { chanel: 'maya' } },
          empty: { channel: '' },
          long: { channel: 'x'.repeat(65) },
          wrongtype: { pilled: { channel: 42 } },
          fine: { channel: 'Maya_Live' },
        },
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/nochannel/config/pilled' },
        { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/pasted/config/pilled/channel' },
        { code: 'SS_ERR_PILLED_CONFIG', path: '/creators/pasted/config/pilled/channel' },
        { code: 'SS_ERR_MANIFEST_UNKNOWN_KEY', path: '/creators/typo/config/pilled/chanel' },
        { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/empty/config/pilled/channel' },
        { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/long/config/pilled/channel' },
        { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/wrongtype/config/pilled/channel' },
      ]),
    );
    expect(issues.filter((i) => i.path.startsWith('/creators/fine/'))).toEqual([]);
    expect(net).toEqual({ fetches: [], sockets: 0, listens: 0 });
  });

  it('names the channel a pasted pilled.net address meant', async () => {
    const error = await startPilled({ creators: { maya: { channel: 'pilled.net/Maya_Live/' } } }).catch((e: unknown) => e);
    const issue = ((error as { details: { issues: ManifestIssue[] } }).details.issues).find((i) => i.code === 'SS_ERR_PILLED_CONFIG');
    expect(issue?.message).toBe('Pilled config of creator "maya": channel is an address, not a channel name: use "Maya_Live"');
    expect(channelOfAddress('https://www.pilled.net/ThirdRailify?x=1')).toBe('ThirdRailify');
    expect(channelOfAddress('pilled.net/livechat/ThirdRailify')).toBe('ThirdRailify');
    expect(channelOfAddress('ThirdRailify')).toBeUndefined();
    expect(channelOfAddress('https://pilled.net/comment/12345/extra')).toBeUndefined();
    expect(channelOfAddress('https://example.com/ThirdRailify')).toBeUndefined();
  });

  it('refuses unknown plugin-wide keys (there is no API to configure)', async () => {
    const { startTestKernel } = await import('@streamsuites/testing');
    const { default: pilled } = await import('../src/index.js');
    const issues = await issuesOf(startTestKernel({ plugins: [pilled], manifest: { plugins: { pilled: { config: { apiOrigin: 'https://pilled.net' } } }, creators: {} } }));
    expect(issues).toEqual([{ code: 'SS_ERR_MANIFEST_UNKNOWN_KEY', path: '/plugins/pilled/config/apiOrigin' }]);
  });
});
