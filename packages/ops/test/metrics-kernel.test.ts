import { createServer, get } from 'node:http';
import { defineError, definePlugin, jobRegistryRef, quotaRegistryRef, rateLimitGovernorRef } from '@streamsuites/kernel';
import { chatMessage, listenLocal, startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { SS_ERR_OPS_HOST_NOT_LOOPBACK, SS_ERR_OPS_LISTEN, isLoopbackHost, startOpsServer } from '../src/index.js';
import { getJson, sample, scrape } from './scrape.js';

const SS_ERR_TEST_BROKEN = defineError('SS_ERR_TEST_BROKEN', (who: string) => `broken for ${who}`, 'A test plugin.');
/** Starts for every creator but bob. */
const picky = definePlugin({
  id: 'picky',
  version: '0.0.0',
  kernel: '^0.2.0',
  register(reg) {
    reg.onInit({
      deps: {},
      start({ creator }) {
        if (creator.id === 'bob') throw new SS_ERR_TEST_BROKEN(creator.id);
      },
    });
  },
});

describe('metrics fed by the kernel and the default services', () => {
  it('rate-limit waits: only calls that queued are counted, with their platform and key', async () => {
    const t = await startTestKernel({ logLevel: 'silent' });
    const ops = await startOpsServer({ kernel: t.kernel, port: 0, processMetrics: false });
    try {
      const governor = t.kernel.resolve(rateLimitGovernorRef);
      governor.configure('twitch:send:ssbot', { capacity: 1, windowMs: 40 });
      await governor.acquire('twitch:send:ssbot'); // granted at once: not a wait
      const waited = t.bus.waitFor('ratelimit.waited', () => true, { timeout: 5_000 });
      await governor.acquire('twitch:send:ssbot'); // queues until the 40 ms window passes
      expect((await waited).waitedMs).toBeGreaterThan(0);
      const families = await scrape(ops.url);
      expect(sample(families, 'streamsuites_ratelimit_waits_total', { platform: 'twitch', key: 'twitch:send:ssbot' })).toBe(1);
      expect(sample(families, 'streamsuites_ratelimit_wait_seconds_total', { key: 'twitch:send:ssbot' })).toBeGreaterThan(0);
      expect(sample(families, 'streamsuites_ratelimit_waiting', { key: 'twitch:send:ssbot' })).toBe(0);
      // Process metrics off: no nodejs_* families.
      expect(families.some((f) => f.name.startsWith('nodejs_'))).toBe(false);
    } finally {
      await ops.close();
    }
  });

  it('quota used and left per creator and platform; action failures counted as errors with their code', async () => {
    const t = await startTestKernel({
      logLevel: 'silent',
      manifest: {
        creators: {
          maya: {
            enable: [],
            quotas: { youtube: { daily: 1000, buffer: 100 } },
            triggers: [{ id: 'boom', type: 'command', params: { command: '!boom' }, actions: [{ type: 'chat.reply', params: { text: 'no handler here' } }] }],
          },
        },
      },
    });
    const ops = await startOpsServer({ kernel: t.kernel, port: 0, processMetrics: false });
    try {
      await t.kernel.resolve(quotaRegistryRef).tracker('maya', 'youtube').charge(250);
      const failed = t.bus.waitFor('action.failed', () => true, { timeout: 5_000 });
      t.bus.emit('chat.message', chatMessage({ creatorId: 'maya', platform: 'youtube', text: '!boom' }));
      const failure = await failed;
      const families = await scrape(ops.url);
      expect(sample(families, 'streamsuites_quota_used_units', { creator: 'maya', platform: 'youtube' })).toBe(250);
      expect(sample(families, 'streamsuites_quota_remaining_units', { creator: 'maya', platform: 'youtube' })).toBe(750);
      expect(sample(families, 'streamsuites_quota_daily_units', { creator: 'maya', platform: 'youtube' })).toBe(1000);
      expect(sample(families, 'streamsuites_actions_total', { creator: 'maya', platform: 'youtube', type: 'chat.reply', outcome: 'failed' })).toBe(1);
      expect(sample(families, 'streamsuites_errors_total', { creator: 'maya', platform: 'youtube', kind: 'action_failed', code: failure.error.code! })).toBe(1);
      expect(sample(families, 'streamsuites_chat_messages_total', { creator: 'maya', platform: 'youtube' })).toBe(1);
    } finally {
      await ops.close();
    }
  });

  it('job states: queued and running jobs as a gauge, every transition counted (clip jobs are clips.*)', async () => {
    const t = await startTestKernel({ logLevel: 'silent', manifest: { creators: { maya: { enable: [] } } } });
    const ops = await startOpsServer({ kernel: t.kernel, port: 0, processMetrics: false });
    try {
      const jobs = t.kernel.resolve(jobRegistryRef);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const running = t.bus.waitFor('job.state', (e) => e.state === 'running', { timeout: 5_000 });
      jobs.register({ type: 'clips.encode', run: () => held });
      await jobs.enqueue('clips.encode', { clipId: 'c1' }, { creatorId: 'maya' });
      await running;
      const during = await scrape(ops.url);
      expect(sample(during, 'streamsuites_jobs', { creator: 'maya', type: 'clips.encode', state: 'running' })).toBe(1);
      expect(sample(during, 'streamsuites_jobs', { state: 'queued' })).toBe(0);

      const done = t.bus.waitFor('job.state', (e) => e.state === 'succeeded', { timeout: 5_000 });
      release();
      await done;
      const after = await scrape(ops.url);
      expect(sample(after, 'streamsuites_jobs')).toBe(0);
      for (const state of ['queued', 'running', 'succeeded']) {
        expect(sample(after, 'streamsuites_job_transitions_total', { creator: 'maya', type: 'clips.encode', state }), state).toBe(1);
      }
      // plugin-clips' own clip.state event (not a dependency of ops: counted by name).
      const emitByName = t.bus.emit.bind(t.bus) as unknown as (event: string, payload: object) => void;
      emitByName('clip.state', { clipId: 'c1', creatorId: 'maya', platform: 'twitch', state: 'published', previous: 'encoded', reason: 'test', at: 0 });
      expect(sample(await scrape(ops.url), 'streamsuites_clip_states_total', { creator: 'maya', platform: 'twitch', state: 'published' })).toBe(1);
    } finally {
      await ops.close();
    }
  });

  it('a plugin failing for one creator: degraded but ready (200), the failure counted with its code', async () => {
    const t = await startTestKernel({ logLevel: 'silent', plugins: [picky], manifest: { creators: { ann: { enable: ['picky'] }, bob: { enable: ['picky'] } } }, start: false });
    const ops = await startOpsServer({ kernel: t.kernel, port: 0, processMetrics: false });
    try {
      await t.kernel.start();
      const health = await getJson(`${ops.url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', ready: true, problems: ['creator bob: plugin picky failed'] });
      expect(health.body.creators).toEqual([
        { id: 'ann', plugins: { picky: 'running' }, connections: [] },
        { id: 'bob', plugins: { picky: 'failed' }, connections: [] },
      ]);
      const families = await scrape(ops.url);
      // The kernel wraps what start() threw: the code is the kernel's, the plugin's error is its cause.
      expect(sample(families, 'streamsuites_errors_total', { creator: 'bob', platform: '', kind: 'plugin_failed', code: 'SS_ERR_PLUGIN_START_FAILED' })).toBe(1);
      expect(sample(families, 'streamsuites_errors_total')).toBe(1);
      expect(sample(families, 'streamsuites_creator_plugin_running', { creator: 'bob', plugin: 'picky', status: 'failed' })).toBe(0);
      expect(sample(families, 'streamsuites_creator_plugin_running', { creator: 'ann', plugin: 'picky', status: 'running' })).toBe(1);
    } finally {
      await ops.close();
    }
  });

  it('on loopback, answers only requests addressed to a loopback name (a re-pointed domain gets 403: DNS rebinding)', async () => {
    const t = await startTestKernel({ logLevel: 'silent' });
    const server = await startOpsServer({ kernel: t.kernel, port: 0 });
    // `undefined`: no Host header at all.
    const statusFor = (host: string | undefined) =>
      new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port: server.port, path: '/metrics', ...(host === undefined ? { setHost: false } : { headers: { host } }) }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    try {
      expect(await statusFor(`127.0.0.1:${server.port}`)).toBe(200);
      expect(await statusFor(`localhost:${server.port}`)).toBe(200);
      expect(await statusFor(`[::1]:${server.port}`)).toBe(200);
      expect(await statusFor(`attacker.example:${server.port}`)).toBe(403);
      expect(await statusFor(undefined)).toBe(400); // Node's own HTTP server refuses a request without Host
    } finally {
      await server.close();
      await t.stop();
    }
  });

  it('refuses a non-loopback host unless allowed, and a taken port with SS_ERR_OPS_LISTEN', async () => {
    const t = await startTestKernel({ logLevel: 'silent' });
    await expect(startOpsServer({ kernel: t.kernel, host: '0.0.0.0', port: 0 })).rejects.toThrow(SS_ERR_OPS_HOST_NOT_LOOPBACK);
    expect(['127.0.0.1', '127.9.9.9', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1'].some(isLoopbackHost)).toBe(false);

    const holder = createServer();
    await listenLocal(holder);
    const port = (holder.address() as { port: number }).port;
    try {
      const error = await startOpsServer({ kernel: t.kernel, port }).catch((e: unknown) => e);
      expect(SS_ERR_OPS_LISTEN.is(error)).toBe(true);
      expect((error as Error).message).toBe(`the operations server could not listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
