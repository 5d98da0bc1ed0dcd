import { describe, expect, it } from 'vitest';
import {
  actionDispatcherRef,
  createKernel,
  definePlugin,
  ManualClock,
  stateStoreRef,
  type ManifestIssue,
} from '@streamsuites/kernel';
import { CLIP_LEDGER_NAMESPACE, withDefaults } from '../src/index.js';
import { chat, MapStateStore } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';
import { clipCreateType, handlersPlugin } from './helpers/handlers.js';

/*
 * Tiers: validate-time limits over the whole manifest (all problems at
 * once, with paths) and the run-time guard on clip.create (length, clips per
 * hour on the kernel clock, persisted across a restart). The clip handler
 * here is a stand-in that records what it was asked; plugin-clips' real
 * handler is exercised in packages/plugin-twitch/test/rules-clips-twitch.test.ts.
 */

/** Declares clip.create as plugin-clips does (seconds 1..600, default 30) and records the clips "made". */
function clipper() {
  const made: { creatorId: string; seconds: number }[] = [];
  const plugin = handlersPlugin('clips', [{ type: 'clip.create', handle: (params: { seconds: number }, ctx) => void made.push({ creatorId: ctx.creatorId, seconds: params.seconds }) }], [clipCreateType]);
  return { plugin, made };
}

/** An empty plugin standing in for a platform plugin of this id. */
const platform = (id: string) => definePlugin({ id, version: '1.0.0', kernel: '^0.2.0', register() {} });

const clipTrigger = (seconds: unknown) => ({ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: seconds === undefined ? {} : { seconds } }] });
const reply = (n: number) => ({ type: 'command', params: { command: `!r${n}` }, actions: [{ type: 'chat.reply', params: { text: 'hi' } }] });

async function issuesOf(manifest: Record<string, unknown>): Promise<ManifestIssue[]> {
  const error = await createKernel(withDefaults({ logLevel: 'silent', plugins: [clipper().plugin, platform('twitch'), platform('youtube'), platform('kick')], manifest })).then(
    () => undefined,
    (e: unknown) => e as { code: string; details: { issues: ManifestIssue[] } },
  );
  expect(error?.code).toBe('SS_ERR_MANIFEST_INVALID');
  return error!.details.issues;
}

describe('tiers at validate time', () => {
  it('reports every tier problem of the manifest at once, each at its JSON path', async () => {
    const issues = await issuesOf({
      tiers: {
        free: { maxTriggers: 2, maxClipSeconds: 30, platforms: ['twitch'], maxCreators: 1 },
        pro: { maxClipSeconds: 120, platforms: ['youtube', 'twich'] },
      },
      plugins: { twitch: {}, youtube: {}, kick: {}, clips: {} },
      creators: {
        anna: { enable: ['twitch', 'clips'], tier: 'free', triggers: [clipTrigger(20)] },
        ben: {
          enable: ['twitch', 'youtube', 'clips', 'kick'],
          tier: 'free',
          triggers: [clipTrigger(45), reply(1), reply(2), { ...clipTrigger('{arg1}'), params: { command: '!c' } }],
          clipRules: { maxSeconds: 60 },
        },
        cleo: { enable: ['twitch'], tier: 'pri' },
        dana: { enable: ['youtube', 'clips'], tier: 'pro', triggers: [clipTrigger(90)] },
      },
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['SS_ERR_TIER_PLATFORM_UNKNOWN', '/tiers/pro/platforms/1'],
      ['SS_ERR_TIER_TRIGGERS', '/creators/ben/triggers/2'],
      ['SS_ERR_TIER_PLATFORM', '/creators/ben/enable/1'],
      ['SS_ERR_TIER_PLATFORM', '/creators/ben/enable/3'],
      ['SS_ERR_TIER_CLIP_TOO_LONG', '/creators/ben/clipRules/maxSeconds'],
      ['SS_ERR_TIER_CLIP_TOO_LONG', '/creators/ben/triggers/0/actions/0/params/seconds'],
      ['SS_ERR_TIER_UNKNOWN', '/creators/cleo/tier'],
      ['SS_ERR_TIER_CREATORS', '/creators/ben/tier'],
    ]);
    const byCode = (code: string) => issues.find((i) => i.code === code)!;
    expect(byCode('SS_ERR_TIER_UNKNOWN').hint).toBe('Did you mean "pro"? Known tiers: free, pro.');
    expect(byCode('SS_ERR_TIER_PLATFORM_UNKNOWN').hint).toMatch(/^Did you mean "twitch"\? Use a platform plugin id/);
    expect(byCode('SS_ERR_TIER_TRIGGERS').message).toBe('Creator "ben" has 4 triggers; tier "free" allows 2');
    expect(byCode('SS_ERR_TIER_PLATFORM').message).toBe('Creator "ben" enables platform "youtube", which tier "free" does not allow');
    expect(byCode('SS_ERR_TIER_CREATORS').message).toBe('Tier "free" has 2 creators; it allows 1');
    expect(byCode('SS_ERR_TIER_CREATORS').hint).toContain('(anna is on it first)');
  });

  it('a creator added at run time counts towards its tier; a valid tiered manifest starts', async () => {
    const t = await startTestKernel({
      plugins: [clipper().plugin, platform('twitch')],
      manifest: { tiers: { free: { maxCreators: 1, maxTriggers: 1 } }, plugins: { twitch: {}, clips: {} }, creators: { anna: { enable: ['twitch'], tier: 'free', triggers: [reply(1)] } } },
    });
    const error = await t.kernel.addCreator('ben', { enable: ['twitch'], tier: 'free' }).then(
      () => undefined,
      (e: unknown) => e as { details: { issues: ManifestIssue[] } },
    );
    expect(error?.details.issues.map((i) => [i.code, i.path])).toEqual([['SS_ERR_TIER_CREATORS', '/creators/ben/tier']]);
    expect(t.kernel.creators()).toEqual(['anna']);
  });

  it('clipRules are checked on their own: defaultSeconds over maxSeconds, an unknown role, a destination the rules do not allow', async () => {
    const issues = await issuesOf({
      plugins: { clips: { config: { destinations: { destination: { kind: 'local', options: { dir: '/tmp/x' } } } } } },
      creators: {
        anna: { enable: ['clips'], clipRules: { maxSeconds: 20, defaultSeconds: 30 } },
        ben: { enable: ['clips'], clipRules: { destinations: ['http'] } },
        cleo: { enable: ['clips'], clipRules: { destinations: ['http'] }, config: { clips: { destination: { kind: 'rumble' } } } },
        dana: { enable: ['clips'], clipRules: { destinations: ['local', 'http'] } },
      },
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['SS_ERR_CLIP_RULES_INVALID', '/creators/anna/clipRules/defaultSeconds'],
      ['SS_ERR_CLIP_RULES_DESTINATION', '/creators/ben/clipRules/destinations'],
      ['SS_ERR_CLIP_RULES_DESTINATION', '/creators/cleo/config/clips/destination/kind'],
    ]);
    expect(issues[1]!.message).toBe('Clips of creator "ben" would be published to a "local" destination; its clipRules.destinations allow http');
    const roles = await issuesOf({ creators: { ben: { enable: [], clipRules: { roles: ['moderator', 'viewer'], cooldown: { user: '2 minutes' } } } } });
    expect(roles.map((i) => [i.code, i.path])).toEqual([
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/ben/clipRules/roles/1'],
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/ben/clipRules/cooldown/user'],
    ]);
  });
});

describe('tiers at run time (the clip.create guard)', () => {
  const HOUR = 3_600_000;

  async function tiered(options: { store?: MapStateStore; clock: ManualClock; dryRun?: boolean }) {
    const clips = clipper();
    const t = await startTestKernel({
      plugins: [clips.plugin],
      clock: options.clock,
      ...(options.store === undefined ? {} : { services: [{ ref: stateStoreRef, factory: () => options.store! }] }),
      manifest: {
        tiers: { free: { maxClipSeconds: 20, clipsPerHour: 2 } },
        plugins: { clips: {} },
        creators: { anna: { enable: ['clips'], tier: 'free', ...(options.dryRun ? { dryRun: true } : {}), triggers: [clipTrigger('{arg1}'), { ...clipTrigger(undefined), params: { command: '!quick' } }] } },
      },
    });
    const say = async (text: string) => {
      t.bus.emit('chat.message', chat(text, { creatorId: 'anna', user: `u${Math.random()}` }));
      await t.kernel.idle();
    };
    const refusals = () => t.events.of('action.failed').map((e) => e.error.code);
    return { t, made: clips.made, say, refusals };
  }

  it('refuses a clip longer than the tier allows, shortens a default length to it, and allows clipsPerHour clips in any 60 minutes', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
    const { t, made, say, refusals } = await tiered({ clock });
    await say('!clip 25');
    expect(refusals()).toEqual(['SS_ERR_TIER_CLIP_TOO_LONG']);
    expect(t.events.of('action.failed')[0]!.error.message).toBe('A 25 s clip for creator "anna" is longer than tier "free" allows (20 s)');
    await say('!quick'); // the schema's 30 s default, shortened to the tier's 20
    clock.advance(30 * 60_000);
    await say('!clip 10');
    await say('!clip 5');
    expect(made).toEqual([
      { creatorId: 'anna', seconds: 20 },
      { creatorId: 'anna', seconds: 10 },
    ]);
    expect(refusals()).toEqual(['SS_ERR_TIER_CLIP_TOO_LONG', 'SS_ERR_TIER_CLIPS_PER_HOUR']);
    // An hour after the first clip, one is free again; the second still counts.
    clock.advance(30 * 60_000);
    await say('!clip 5');
    await say('!clip 6');
    expect(made.map((m) => m.seconds)).toEqual([20, 10, 5]);
    expect(refusals().at(-1)).toBe('SS_ERR_TIER_CLIPS_PER_HOUR');
    // A refused clip was not counted: half an hour later the 10 s clip left the window, one more fits.
    clock.advance(HOUR / 2);
    await say('!clip 7');
    expect(made.map((m) => m.seconds)).toEqual([20, 10, 5, 7]);
  });

  it('the hour\'s count is in the state store: a restart cannot make more clips than the tier allows', async () => {
    const store = new MapStateStore();
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
    const first = await tiered({ store, clock });
    await first.say('!clip 5');
    await first.say('!clip 5');
    await first.t.stop();
    expect([...store.data.keys()].filter((k) => k.startsWith(`${CLIP_LEDGER_NAMESPACE}\u0000`))).toEqual([`${CLIP_LEDGER_NAMESPACE}\u0000hour\u0000anna`]);

    clock.advance(10 * 60_000);
    const second = await tiered({ store, clock });
    await second.say('!clip 5');
    expect(second.made).toEqual([]);
    expect(second.refusals()).toEqual(['SS_ERR_TIER_CLIPS_PER_HOUR']);
  });

  it('a reload that only changes a tier applies to the creators on it at their next clip', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
    const { t, made, say, refusals } = await tiered({ clock });
    await say('!clip 15');
    const manifest = t.kernel.manifest;
    await t.kernel.reload({
      tiers: { free: { maxClipSeconds: 10, clipsPerHour: 3 } },
      plugins: { clips: {} },
      creators: { anna: { enable: ['clips'], tier: 'free', triggers: [clipTrigger('{arg1}'), { ...clipTrigger(undefined), params: { command: '!quick' } }] } },
    });
    expect(t.kernel.manifest).not.toBe(manifest);
    await say('!clip 15');
    await say('!clip 10');
    await say('!clip 9');
    await say('!clip 8'); // the 15 s clip made before the reload still counts: the fourth in the hour
    expect(made.map((m) => m.seconds)).toEqual([15, 10, 9]);
    expect(refusals()).toEqual(['SS_ERR_TIER_CLIP_TOO_LONG', 'SS_ERR_TIER_CLIPS_PER_HOUR']);
  });

  it('in dry-run a refusal is recorded as in a live run, and recorded clips do not count', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
    const { t, made, say, refusals } = await tiered({ clock, dryRun: true });
    for (let i = 0; i < 4; i++) await say('!clip 5');
    await say('!clip 50');
    expect(made).toEqual([]);
    expect(t.events.of('action.dispatched').map((e) => e.dryRun)).toEqual([true, true, true, true]);
    expect(refusals()).toEqual(['SS_ERR_TIER_CLIP_TOO_LONG']);
    expect(t.kernel.resolve(actionDispatcherRef).recent().map((r) => r.outcome)).toEqual(['dry-run', 'dry-run', 'dry-run', 'dry-run', 'failed']);
  });
});
