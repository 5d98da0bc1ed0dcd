import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript } from '@streamsuites/testing';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

const stateDirs: string[] = [];
afterAll(async () => {
  for (const dir of stateDirs) await rm(dir, { recursive: true, force: true });
});

/** What a first run leaves behind: SQLite state, snapshots, the dashboard address, a poll per creator. */
async function expectFirstRunOutputs(stateDir: string, stdout: string, summary: string) {
  expect(Number(/(\d+) triggers fired/.exec(summary)?.[1])).toBeGreaterThan(0);
  // A Rumble viewer's $5 rant reached sol through the Live Stream API.
  expect(Number(/, (\d+) Rumble rant\(s\) \(\$\d+\.\d\d\),/.exec(summary)?.[1]), summary).toBeGreaterThanOrEqual(1);
  expect(Number(/(\d+) replies received by the chat server/.exec(summary)?.[1])).toBeGreaterThan(0);
  // The local EventSub played a follow, a raid (12 or 7 viewers) and a "Hydrate" redemption into daniel's channel:
  // each fired its manifest trigger (a thank-you, a welcome, a fulfillment through Helix plus a reply).
  const events = twitchEventsOf(summary);
  for (const kind of ['follow', 'raid', 'redemption'] as const) {
    expect(events.received[kind], `${kind}: ${summary}`).toBeGreaterThanOrEqual(1);
    expect(events.triggered[kind], `${kind} triggered: ${summary}`).toBeGreaterThanOrEqual(1);
  }
  expect(events.fulfilled, summary).toBeGreaterThanOrEqual(1);
  for (const [creator, beats] of Object.entries(countsAfter(summary, 'heartbeats'))) expect(beats, creator).toBeGreaterThan(0);
  expect(existsSync(join(stateDir, 'data', 'streamsuites.db'))).toBe(true);
  expect(await readdir(join(stateDir, 'demo-state'))).toEqual(expect.arrayContaining(['runtime', 'shared']));
  // The dashboard address is printed once the first snapshots exist.
  expect(stdout).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/ /m);
  // ...and the first creator's own view beside it.
  expect(stdout).toMatch(/^dashboard, daniel's view: http:\/\/127\.0\.0\.1:\d+\/#\/creator\/daniel$/m);
  // A moderator opened a poll and viewers voted: the engagement plugin exported it.
  const polls = JSON.parse(await readFile(join(stateDir, 'demo-state', 'runtime', 'exports', 'polls.json'), 'utf8')) as { polls: { creator: string }[] };
  expect(new Set(polls.polls.map((p) => p.creator))).toEqual(new Set(['daniel', 'maya', 'sol']));
  // daniel's `!clip 5 what a play` was cut from his test-pattern stream, and a Rumble viewer's
  // `!clip 5 rumble highlight` from sol's Rumble stream (found through the embed metadata, fetched
  // with Rumble's Referer), both published to <state>/clips; the public clips.json names them by id,
  // never by a local path.
  expect(Number(/(\d+) clips published/.exec(summary)?.[1])).toBeGreaterThanOrEqual(2);
  const from = clipsFrom(summary);
  expect(from['daniel/twitch'], summary).toBeGreaterThanOrEqual(1);
  expect(from['sol/rumble'], summary).toBeGreaterThanOrEqual(1);
  expect((await readdir(join(stateDir, 'clips'))).filter((f) => f.endsWith('.mp4')).length).toBeGreaterThanOrEqual(2);
  const clips = await readFile(join(stateDir, 'demo-state', 'runtime', 'exports', 'clips.json'), 'utf8');
  const listed = (JSON.parse(clips) as { clips: { creator: string; platform: string; state: string; title?: string }[] }).clips;
  expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ creator: 'sol', platform: 'rumble', state: 'published', title: 'rumble highlight' })]));
  expect(clips).not.toContain(stateDir);
  expect(clips).not.toMatch(/"(\/|file:|[A-Za-z]:\\)/);
}

/**
 * Runs the demo from source (tsx) with its files in a fresh folder and the
 * dashboard on any free port, so runs in parallel never share a database.
 * stdout is a pipe: the demo prints plain lines, not the live view.
 */
async function runDemo(args: string[], port = 0) {
  const stateDir = await mkdtemp(join(tmpdir(), 'ss-demo-'));
  stateDirs.push(stateDir);
  return { stateDir, ...spawnScript(main, ['--state-dir', stateDir, '--port', String(port), ...args]) };
}

/** `name a=1 b=2` counts after a label in the summary line. */
const countsAfter = (summary: string, label: string) => {
  const part = summary.split(`${label} `)[1]?.split(',')[0] ?? '';
  return Object.fromEntries([...part.matchAll(/([\w-]+)=(\d+)/g)].map(([, id, n]) => [id, Number(n)]));
};

const summaryOf = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('demo summary:'));

/** `platforms a/twitch=1 a/youtube=2` counts in the summary. */
const platformCounts = (summary: string) =>
  Object.fromEntries([...(summary.split('platforms ')[1]?.split(',')[0] ?? '').matchAll(/([\w-]+\/[\w-]+)=(\d+)/g)].map(([, key, n]) => [key, Number(n)]));

/** `N clips published in DIR (a/twitch=1 b/rumble=1)`: published clips per creator/platform. */
const clipsFrom = (summary: string) =>
  Object.fromEntries([...(/clips published in [^,(]* \(([^)]*)\)/.exec(summary)?.[1] ?? '').matchAll(/([\w-]+\/[\w-]+)=(\d+)/g)].map(([, key, n]) => [key, Number(n)]));

/** `twitch events follow=1 raid=1 redemption=1 (triggered follow=1 raid=1 redemption=1; 1 fulfilled)`. */
function twitchEventsOf(summary: string) {
  const m = /, twitch events follow=(\d+) raid=(\d+) redemption=(\d+) \(triggered follow=(\d+) raid=(\d+) redemption=(\d+); (\d+) fulfilled\),/.exec(summary);
  expect(m, summary).not.toBeNull();
  const [follow, raid, redemption, tFollow, tRaid, tRedemption, fulfilled] = m!.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return { received: { follow, raid, redemption }, triggered: { follow: tFollow, raid: tRaid, redemption: tRedemption }, fulfilled };
}

const EVERY_PLATFORM = ['daniel/kick', 'daniel/twitch', 'maya/twitch', 'maya/youtube', 'sol/rumble', 'sol/twitch'];

// One demo run uses both cores of a small machine: the runs go one after another,
// each with room for a loaded machine.
describe('demo', { timeout: 60_000 }, () => {
  it('three runs in a row on one state folder each end clean, with chat from every creator and platform', async () => {
    // The second run finds its preferred dashboard port taken and falls back.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const taken = (blocker.address() as { port: number }).port;
    const stateDir = await mkdtemp(join(tmpdir(), 'ss-demo-'));
    stateDirs.push(stateDir);
    try {
      // The first run lasts a whole round of the script (~11 s: poll opened and closed, a follow,
      // a raid and a channel-points redemption on daniel's channel,
      // a clip cut and published, a new poll opened; sol's Rumble stream is live ~3 s in,
      // its `!clip` published ~10 s in); the next two stop mid-poll, with Rumble chat but
      // before the Rumble `!clip`. Each starts with the open poll, the saved YouTube chat
      // position, the Rumble messages already seen, chat logs and clips of the one before.
      for (const [run, seconds] of [[1, 16], [2, 6], [3, 6]] as const) {
        const demo = spawnScript(main, ['--state-dir', stateDir, '--port', String(run === 2 ? taken : 0), '--duration', String(seconds)]);
        const code = await demo.exited;
        const summary = summaryOf(demo.stdout());
        expect(code, `run ${run}: ${demo.stderr()}\n${demo.stdout().slice(-2000)}`).toBe(0);
        expect(summary, `run ${run}`).toMatch(/3 creators/);
        expect(summary, `run ${run}`).toMatch(/, 0 error\(s\)$/);
        const messages = countsAfter(summary!, 'messages');
        expect(Object.keys(messages).sort(), `run ${run}`).toEqual(['daniel', 'maya', 'sol']);
        for (const count of Object.values(messages)) expect(count, `run ${run} messages`).toBeGreaterThan(0);
        // A restart resumes YouTube at once (a saved page token the API rejects is dropped, no 60 s wait).
        const platforms = platformCounts(summary!);
        expect(Object.keys(platforms).sort(), `run ${run}`).toEqual(EVERY_PLATFORM);
        for (const [key, count] of Object.entries(platforms)) expect(count, `run ${run} ${key}`).toBeGreaterThan(0);
        const actions = countsAfter(summary!, 'actions');
        expect(actions, `run ${run}`).toMatchObject({ 'dry-run': 0, failed: 0 });
        expect(actions.executed, `run ${run}`).toBeGreaterThan(0);
        // Twitch channel events: no trigger fired twice for one, and no redemption fulfilled that was not redeemed.
        const events = twitchEventsOf(summary!);
        for (const kind of ['follow', 'raid', 'redemption'] as const) expect(events.triggered[kind], `run ${run} ${kind}`).toBeLessThanOrEqual(events.received[kind]);
        expect(events.fulfilled, `run ${run}`).toBeLessThanOrEqual(events.received.redemption);
        // The Discord control plane against the local Discord: an operator's /status answered in every run; the
        // go-live announced in the first (later runs continue the same stream: its announcement is already made).
        expect(summary, `run ${run}`).toMatch(run === 1 ? /, discord \/status answered: 3 creators, [1-9]\d* go-live announcement\(s\),/ : /, discord \/status answered: 3 creators, \d+ go-live announcement\(s\),/);
        // maya's go-live posted to the local X API in the first run, as the account the demo authorized (PKCE, tokens
        // encrypted in SQLite); later runs continue the same stream, and a go-live is never posted twice.
        expect(summary, `run ${run}`).toMatch(run === 1 ? /, 1 X post\(s\) \("Maya is live on youtube: / : /, 0 X post\(s\),/);
        // daniel's Kick chat (signed webhooks from the local Kick): a viewer's !hello answered through Kick's chat API in
        // the first run (later runs may still be within that viewer's cooldown, kept in SQLite).
        expect(summary, `run ${run}`).toMatch(run === 1 ? /, [1-9]\d* Kick replies,/ : /, \d+ Kick replies,/);
        if (run === 1) await expectFirstRunOutputs(stateDir, demo.stdout(), summary!);
        if (run === 2) {
          const line = demo.stdout().split('\n').find((l) => l.startsWith('dashboard: '));
          expect(line).toMatch(new RegExp(`^dashboard: http://127\\.0\\.0\\.1:(\\d+)/ \\(port ${taken} is in use\\)`));
          expect(Number(/:(\d+)\//.exec(line!)?.[1])).not.toBe(taken);
        }
      }
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    // Every creator's chat was logged; --replay runs it through the same triggers on a virtual clock.
    for (const creator of ['daniel', 'maya', 'sol']) expect((await readdir(join(stateDir, 'data', 'chatlog', creator))).length).toBeGreaterThanOrEqual(1);
    const replay = spawnScript(main, ['--state-dir', stateDir, '--replay']);
    expect(await replay.exited, replay.stderr()).toBe(0);
    const replayed = replay.stdout();
    // Creators in the order their first logged event was recorded (daniel, who also subscribes to EventSub, may start last).
    const replayedCreators = /^replay finished: \d+ events \(([^)]*)\)/m.exec(replayed)?.[1] ?? '';
    expect(replayedCreators.split(' ').map((part) => /^([\w-]+)=\d+$/.exec(part)?.[1]).sort(), replayed).toEqual(['daniel', 'maya', 'sol']);
    expect(Number(/triggers fired: (\d+)/.exec(replayed)?.[1])).toBeGreaterThan(0);
    expect(replayed).toContain('0 failed');
    expect(replayed).toContain('lines skipped: 0');
    expect(existsSync(join(stateDir, 'replay-state', 'runtime', 'exports', 'polls.json'))).toBe(true);
  }, 300_000);

  it('Ctrl-C (SIGINT) stops cleanly and still prints the summary', async () => {
    const demo = await runDemo([]);
    await demo.until('demo running');
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.stdout()).toContain('kernel stopped');
    expect(demo.stdout()).toContain('demo summary:');
  });

  it('Ctrl-C while the kernel is still starting stops cleanly, without a stack trace', async () => {
    const demo = await runDemo([]);
    await demo.until('SQLite store open'); // store-sqlite's init: kernel.start() is under way
    demo.child.kill('SIGINT');
    expect([0, 130]).toContain(await demo.exited);
    expect(demo.stdout()).toContain('kernel stopped');
    expect(demo.stderr()).not.toMatch(/^\s+at /m);
    expect(demo.stdout()).not.toMatch(/^\s+at /m);
  });

  it('a bad flag is a usage error (exit 2), not ignored', async () => {
    const demo = await runDemo(['--duration', 'soon']);
    expect(await demo.exited).toBe(2);
    expect(demo.stderr()).toContain('error SS_ERR_CLI_USAGE: --duration must be a positive number');
    const port = await runDemo(['--port', 'http']);
    expect(await port.exited).toBe(2);
    expect(port.stderr()).toContain('error SS_ERR_CLI_USAGE: --port must be a port number');
    // Checked before the runtime loads: nothing was started, nothing written.
    expect(port.stdout()).toBe('');
    const help = spawnScript(main, ['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toMatch(/--duration/);
  }, 60_000);
});
