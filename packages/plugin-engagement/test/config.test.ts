import { withDefaults } from '@streamsuites/defaults';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createKernel, type PluginFailedEvent } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import exportsPlugin from '@streamsuites/plugin-exports';
import { describe, expect, it } from 'vitest';
import engagementPlugin, { engagementRef } from '../src/index.js';

const POLLS = { voteCommand: '!vote', allowChangeVote: true, maxOptions: 10, history: 20 };
import { ALICE_CONFIG, startEngagement, tempDir } from './helpers.js';

const manifest = (alice: Record<string, unknown>) => ({
  dataDir: tempDir(),
  plugins: { exports: { config: { mirror: false } }, engagement: {} },
  creators: { alice: { enable: ['engagement'], ...alice } },
});

async function issues(alice: Record<string, unknown>): Promise<{ code: string; path: string }[]> {
  const error = await createKernel(withDefaults({ plugins: [exportsPlugin, engagementPlugin], manifest: manifest(alice), logLevel: 'silent' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
  return (error as { details: { issues: { code: string; path: string }[] } }).details.issues.map(({ code, path }) => ({ code, path }));
}

describe('manifest validation', () => {
  it('checks the creator config: ids path-safe, defaults applied', async () => {
    expect(await issues({ config: { engagement: { tallies: [{ id: 'Bad Id', name: 'x' }], scoreboards: [{ id: '../up', name: 'y' }] } } })).toEqual([
      { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/alice/config/engagement/tallies/0/id' },
      { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/alice/config/engagement/scoreboards/0/id' },
    ]);
    expect(await issues({ config: { engagement: { polls: { maxOptions: 1, extra: true } } } })).toEqual([
      { code: 'SS_ERR_MANIFEST_UNKNOWN_KEY', path: '/creators/alice/config/engagement/polls/extra' },
      { code: 'SS_ERR_CONFIG_INVALID', path: '/creators/alice/config/engagement/polls/maxOptions' },
    ]);
    const { engagement } = await startEngagement({ bob: {} });
    const poll = await engagement.openPoll('bob', { question: 'Defaults?', options: Array.from({ length: 10 }, (_, i) => `o${i}`) });
    expect(poll.options).toHaveLength(10); // maxOptions defaults to 10
    await expect(engagement.openPoll('alice', { question: 'Too many', options: Array.from({ length: 11 }, (_, i) => `o${i}`) })).rejects.toMatchObject({
      code: 'SS_ERR_ENGAGEMENT_POLL_INVALID',
    });
  });

  it('checks action params of every trigger when the kernel is created', async () => {
    const trigger = (actions: unknown[]) => ({ triggers: [{ type: 'command', params: { command: '!x' }, actions }] });
    expect(await issues(trigger([{ type: 'poll.open', params: { question: 'Q', options: ['only one'] } }]))).toEqual([
      { code: 'SS_ERR_ACTION_PARAMS_INVALID', path: '/creators/alice/triggers/0/actions/0/params/options' },
    ]);
    expect(await issues(trigger([{ type: 'tally.add', params: { tally: 'deaths', label: 'x', delta: 1.5 } }]))).toEqual([
      { code: 'SS_ERR_ACTION_PARAMS_INVALID', path: '/creators/alice/triggers/0/actions/0/params/delta' },
    ]);
    expect(await issues(trigger([{ type: 'score.add', params: { label: '{user}' } }]))).toEqual([
      { code: 'SS_ERR_ACTION_PARAMS_INVALID', path: '/creators/alice/triggers/0/actions/0/params' },
    ]);
    expect(await issues(trigger([{ type: 'poll.close', params: { now: true } }]))).toEqual([
      { code: 'SS_ERR_ACTION_PARAMS_INVALID', path: '/creators/alice/triggers/0/actions/0/params/now' },
    ]);
  });

  it('duplicate ids or labels stop the plugin for that creator only, with a coded error', async () => {
    const kernel = await createKernel(withDefaults({
      plugins: [exportsPlugin, engagementPlugin],
      logLevel: 'silent',
      manifest: {
        dataDir: tempDir(),
        plugins: { exports: { config: { mirror: false } }, engagement: {} },
        creators: {
          alice: { enable: ['engagement'], config: { engagement: { tallies: [{ id: 'a', name: 'A' }, { id: 'a', name: 'B' }, { id: 'm', name: 'M', labels: ['Yes', 'YES'] }] } } },
          bob: { enable: ['engagement'], config: { engagement: ALICE_CONFIG } },
        },
      },
    }));
    const failures: PluginFailedEvent[] = [];
    kernel.bus.on('kernel.plugin.failed', (e) => void failures.push(e));
    await kernel.start();
    try {
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ pluginId: 'engagement', creatorId: 'alice', phase: 'start' });
      expect(failures[0]?.error.message).toContain(
        'Engagement config of creator "alice": tally id "a" is used twice; tally "m": label "YES" appears twice (labels are compared ignoring case)',
      );
      expect(kernel.status().creators.find((c) => c.id === 'bob')?.plugins.engagement).toBe('running');
      await expect(kernel.resolve(engagementRef).attach('zed', { tallies: [], scoreboards: [{ id: 's', name: 'S', maxEntries: 1 }, { id: 's', name: 'T', maxEntries: 1 }], polls: POLLS })).rejects.toMatchObject({
        code: 'SS_ERR_ENGAGEMENT_CONFIG_INVALID',
        details: { problems: ['scoreboard id "s" is used twice'] },
      });
    } finally {
      await kernel.stop();
    }
  });

  it('works without the exports plugin (nothing is written)', async () => {
    const dataDir = tempDir();
    const t = await startTestKernel({
      plugins: [engagementPlugin],
      manifest: { dataDir, plugins: { engagement: {} }, creators: { solo: { enable: ['engagement'], config: { engagement: { scoreboards: [{ id: 'wins', name: 'Wins' }] } } } } },
    });
    try {
      const engagement = t.kernel.resolve(engagementRef);
      expect(await engagement.addToScore('solo', { scoreboard: 'wins', label: 'Team A', delta: 2 })).toEqual({ label: 'Team A', value: 2 });
      expect(t.events.of('score.changed')).toMatchObject([{ creatorId: 'solo', scoreboardId: 'wins', score: 2 }]);
    } finally {
      await t.stop();
    }
    expect(existsSync(join(dataDir, 'state'))).toBe(false);
  });
});
