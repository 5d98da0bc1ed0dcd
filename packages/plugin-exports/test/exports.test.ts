import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quotaRegistryRef, rateLimitGovernorRef, Type, definePlugin } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import exportsPlugin, { exportsExtensionPoint } from '../src/index.js';
import { exportsKernel, message, readTree, SECRET_TOKEN, tempDir } from './helpers.js';

const FILES = [
  'runtime/admin/chat_triggers.json',
  'runtime/admin/creators.json',
  'runtime/admin/integrations.json',
  'runtime/admin/jobs.json',
  'runtime/admin/permissions.json',
  'runtime/admin/rate_limits.json',
  'runtime/exports/clips.json',
  'runtime/exports/meta.json',
  'runtime/exports/polls.json',
  'runtime/exports/scoreboards.json',
  'runtime/exports/tallies.json',
  'runtime/signals/chat_events.json',
  'runtime/signals/events.json',
  'runtime/signals/poll_votes.json',
  'runtime/signals/score_events.json',
  'runtime/signals/tally_events.json',
  'shared/state/jobs.json',
  'shared/state/metrics.json',
  'shared/state/quotas.json',
  'shared/state/runtime_snapshot.json',
];

const VISIBILITY: Record<string, string> = {
  'runtime/admin/integrations.json': 'internal-only',
  'runtime/admin/permissions.json': 'internal-only',
};
const visibilityOf = (file: string) => VISIBILITY[file] ?? (file.startsWith('runtime/exports/') ? 'public' : 'dashboard-only');

async function writtenState() {
  const dataDir = tempDir();
  const t = await exportsKernel(dataDir);
  await t.events.waitFor('exports.written');
  await t.kernel.resolve(quotaRegistryRef).tracker('alice', 'youtube').charge(5, { reason: 'liveChatMessages.list' });
  t.kernel.resolve(rateLimitGovernorRef).configure('twitch:send:alice', { capacity: 20, windowMs: 30_000 });
  t.bus.emit('chat.message', message('alice', 'hello there'));
  t.bus.emit('chat.message', message('bob', '!hello'));
  await t.stop();
  return { root: join(dataDir, 'state'), t };
}

describe('exports', () => {
  it('writes every file of the surface with its meta block and visibility', async () => {
    const { root } = await writtenState();
    const tree = readTree(root);
    expect(Object.keys(tree).sort()).toEqual(FILES);
    for (const [file, text] of Object.entries(tree)) {
      const json = JSON.parse(text) as { meta: Record<string, unknown> };
      expect(json.meta, file).toEqual({
        schema: expect.stringMatching(/^streamsuites\.[a-z_]+$/),
        version: 1,
        generatedAt: '2026-11-27T12:00:00.000Z',
        source: 'streamsuites-runtime',
        visibility: visibilityOf(file),
      });
    }
    const meta = JSON.parse(tree['runtime/exports/meta.json']!) as { files: { path: string; visibility: string }[] };
    expect(meta.files.map((f) => f.path)).toEqual(FILES);
  });

  it('snapshots the runtime: creators, triggers, chat, quotas, rate limits', async () => {
    const { root } = await writtenState();
    const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
    expect(read('runtime/admin/creators.json').creators).toEqual([
      { id: 'alice', displayName: 'Alice', plugins: ['exports'], dryRun: false },
      { id: 'bob', plugins: ['exports'], dryRun: false },
    ]);
    expect(read('runtime/admin/chat_triggers.json').triggers).toMatchObject([{ creator: 'alice', id: 'hello', type: 'command' }]);
    // The plugins the manifest declares; the default services (triggers, quotas...) are not integrations.
    expect(read('runtime/admin/integrations.json').integrations).toEqual([{ plugin: 'exports', version: expect.any(String), status: 'running' }]);
    expect(read('runtime/signals/chat_events.json').events.map((e: { text: string }) => e.text)).toEqual(['hello there', '!hello']);
    expect(read('shared/state/quotas.json').quotas).toMatchObject([{ creatorId: 'alice', platform: 'youtube', daily: 10000, used: 5, remaining: 9995 }]);
    expect(read('runtime/admin/rate_limits.json').limits).toMatchObject([{ key: 'twitch:send:alice', capacity: 20, windowMs: 30000 }]);
    const snapshot = read('shared/state/runtime_snapshot.json');
    expect(snapshot.creators.find((c: { id: string }) => c.id === 'alice').platforms).toEqual([
      { platform: 'twitch', status: 'receiving', live: false, messages: 1, messagesPerMinute: 0, lastMessageAt: expect.any(String), errors: 0 },
    ]);
  });

  it('same state and clock: byte-identical files', async () => {
    const first = readTree((await writtenState()).root);
    const second = readTree((await writtenState()).root);
    expect(second).toEqual(first);
  });

  // The secret enters through the manifest (alice's trigger reply text, `${env:TOKEN}`) and reaches
  // chat_triggers.json with the trigger's params. Fails without the redaction in src/exporter.ts (the redact
  // callback passed to stableStringify removed once: the token was in chat_triggers.json). Public files and
  // user identifiers: public-no-user-ids.test.ts (fed real chat, clips and polls); bodies: redaction.test.ts.
  it('a manifest secret that reaches an export body is masked in every file', async () => {
    const { root } = await writtenState();
    const tree = readTree(root);
    const triggers = JSON.parse(tree['runtime/admin/chat_triggers.json']!) as { triggers: { actions: { params: { text: string } }[] }[] };
    expect(triggers.triggers[0]!.actions[0]!.params.text).toBe('hi {user}, token [redacted]');
    for (const [file, text] of Object.entries(tree)) expect(text, file).not.toContain(SECRET_TOKEN);
  });

  it('a plugin section replaces a placeholder; a throwing or invalid one keeps the old file and emits exports.failed', async () => {
    let mode: 'ok' | 'throw' | 'invalid' = 'ok';
    const clips = definePlugin({
      id: 'clips-test',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(exportsExtensionPoint, {
          file: 'runtime/exports/clips.json',
          schema: 'streamsuites.clips',
          version: 1,
          visibility: 'public',
          description: 'Clips from the test plugin.',
          bodySchema: Type.Object({ clips: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })) }),
          watch: ['chat.message'],
          snapshot: () => {
            if (mode === 'throw') throw new Error('database gone');
            return mode === 'invalid' ? { clips: [{ id: 7 }] } : { clips: [{ id: 'abc123', title: 'Great play' }] };
          },
        });
      },
    });
    const dataDir = tempDir();
    const t = await exportsKernel(dataDir, { plugins: [clips], config: { debounceMs: 0 } });
    await t.events.waitFor('exports.written');
    const file = join(dataDir, 'state/runtime/exports/clips.json');
    const good = readFileSync(file, 'utf8');
    expect(JSON.parse(good).clips).toEqual([{ id: 'abc123', title: 'Great play' }]);
    const expectedCodes = { throw: 'SS_ERR_EXPORTS_SNAPSHOT_FAILED', invalid: 'SS_ERR_EXPORTS_SECTION_INVALID' };
    for (const next of ['throw', 'invalid'] as const) {
      mode = next;
      t.events.clear();
      t.bus.emit('chat.message', message('alice', `trigger a write (${next})`));
      const failure = await t.events.waitFor('exports.failed');
      expect(failure).toMatchObject({ file: 'runtime/exports/clips.json', error: { code: expectedCodes[next] } });
      // The rest of the flush still went out.
      expect((await t.events.waitFor('exports.written')).files).toContain('runtime/signals/chat_events.json');
      expect(readFileSync(file, 'utf8')).toBe(good);
    }
    expect(t.logs.lines.filter((l) => l.file === 'runtime/exports/clips.json')).toHaveLength(2);
    expect(readTree(join(dataDir, 'state/runtime/exports')).hasOwnProperty('.clips.json.tmp')).toBe(false);
    await t.stop();
  });
});

describe('platform connection in the runtime snapshot', () => {
  it('a platform whose connection is not connected is degraded (since when and why), not running; connected again is running', async () => {
    const T = Date.UTC(2026, 10, 27, 12, 0, 0);
    // A stand-in platform plugin: running for maya, its connection reported on the bus.
    const youtube = definePlugin({ id: 'youtube', version: '1.0.0', kernel: '^0.2.0', register: (reg) => reg.onInit({ deps: {}, start: () => undefined }) });
    const dataDir = tempDir();
    const t = await startTestKernel({
      plugins: [exportsPlugin, youtube],
      clock: { now: () => T },
      manifest: { dataDir, plugins: { exports: { config: { mirror: false, debounceMs: 0 } } }, creators: { maya: { enable: ['exports', 'youtube'] } } },
    });
    await t.events.waitFor('exports.written');
    const read = () => JSON.parse(readFileSync(join(dataDir, 'state/shared/state/runtime_snapshot.json'), 'utf8')).creators[0].platforms.find((p: { platform: string }) => p.platform === 'youtube');
    /** The row once a write shows the connection `since` (a write already under way when the event came shows the one before). */
    const youtubeRow = async (since: string) => {
      const deadline = Date.now() + 5000;
      while (read().connection?.since !== since && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      return read();
    };
    const connection = (state: 'connected' | 'reconnecting', at: number, reason?: string) =>
      t.bus.emit('platform.connection', { creatorId: 'maya', platform: 'youtube', state, attempt: 2, at, ...(reason === undefined ? {} : { reason }) });

    connection('connected', T);
    expect(await youtubeRow('2026-11-27T12:00:00.000Z')).toMatchObject({ status: 'running', connection: { state: 'connected' } });
    connection('reconnecting', T + 12_000, 'quotaExceeded');
    expect(await youtubeRow('2026-11-27T12:00:12.000Z')).toEqual({
      platform: 'youtube',
      status: 'degraded',
      connection: { state: 'reconnecting', since: '2026-11-27T12:00:12.000Z', reason: 'quotaExceeded', attempt: 2 },
      live: false,
      messages: 0,
      messagesPerMinute: 0,
      errors: 0,
    });
    connection('connected', T + 40_000);
    expect(await youtubeRow('2026-11-27T12:00:40.000Z')).toMatchObject({ status: 'running', connection: { state: 'connected' } });
    await t.stop();
  });
});
