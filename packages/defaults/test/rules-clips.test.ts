import { describe, expect, it, vi } from 'vitest';
import {
  actionDispatcherRef,
  actionGuardsExtensionPoint,
  actionTypesExtensionPoint,
  definePlugin,
  identityMapRef,
  ManualClock,
  StreamSuitesError,
  Type,
  type ActionGuard,
  type ActionRecord,
  type ChatRole,
} from '@streamsuites/kernel';
import { chat } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';
import { clipCreateType, handlersPlugin } from './helpers/handlers.js';

/*
 * The action-guard mechanics of the default dispatcher (order, params,
 * refusals, a throwing guard, settled), and clipRules on clip.create: who
 * may clip, lengths, cooldowns per person (linked accounts share one) and
 * per creator, a reload swapping the rules. The clip handler is a stand-in
 * recording what it was asked; plugin-clips' real one is used in
 * packages/plugin-twitch/test/rules-clips-twitch.test.ts.
 */

function clipper() {
  const made: { seconds: number; by?: string }[] = [];
  const plugin = handlersPlugin(
    'clips',
    [
      {
        type: 'clip.create',
        handle: (params: { seconds: number }, ctx) => {
          if (ctx.message?.text.includes('fail')) throw new Error('the stream is not live');
          made.push({ seconds: params.seconds, ...(ctx.message === undefined ? {} : { by: ctx.message.author.login }) });
        },
      },
    ],
    [clipCreateType],
  );
  return { plugin, made };
}

describe('action guards in the default dispatcher', () => {
  /** A plugin declaring test.echo and contributing the given guards. */
  function guarded(guards: ActionGuard[]) {
    const ran: unknown[] = [];
    const plugin = definePlugin({
      id: 'echo',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(actionTypesExtensionPoint, { type: 'test.echo', paramsSchema: Type.Object({ n: Type.Integer({ default: 1 }) }) });
        for (const guard of guards) reg.extend(actionGuardsExtensionPoint, guard);
        reg.onInit({
          deps: { actions: actionDispatcherRef },
          init: ({ deps }) =>
            void deps.actions.registerHandler<{ n: number }>({
              type: 'test.echo',
              handle: (params) => {
                if (params.n === 12) throw new Error('unlucky');
                ran.push(params.n);
              },
            }),
        });
      },
    });
    return { plugin, ran };
  }

  it('guards run in order on prepared params; one may change them, one may refuse; settled hears how each dispatch ended', async () => {
    const seen: string[] = [];
    const settled: ActionRecord['outcome'][] = [];
    const { plugin, ran } = guarded([
      {
        id: 'double',
        types: ['test.echo'],
        check(action, ctx) {
          seen.push(`double:${JSON.stringify(action.given)}->${String(action.params.n)}:${ctx.dryRun}`);
          return { params: { n: Number(action.params.n) * 2 }, settled: (record) => void settled.push(record.outcome) };
        },
      },
      {
        id: 'no-eight',
        types: '*',
        check(action) {
          seen.push(`no-eight:${String(action.params.n)}`);
          return action.params.n === 8 ? { refuse: new StreamSuitesError('SS_ERR_TEST_REFUSED', 'eight is refused') } : undefined;
        },
      },
      { id: 'others', types: ['chat.reply'], check: () => ({ refuse: new StreamSuitesError('SS_ERR_TEST', 'never for test.echo') }) },
    ]);
    const t = await startTestKernel({ plugins: [plugin], manifest: { creators: { anna: { enable: ['echo'] } } } });
    const actions = t.kernel.resolve(actionDispatcherRef);
    const one = await actions.dispatch({ type: 'test.echo', params: {} }, { creatorId: 'anna' });
    const four = await actions.dispatch({ type: 'test.echo', params: { n: 4 } }, { creatorId: 'anna' });
    const twelve = await actions.dispatch({ type: 'test.echo', params: { n: '6' } }, { creatorId: 'anna' });
    const dry = await actions.dispatch({ type: 'test.echo', params: { n: 3 } }, { creatorId: 'anna', dryRun: true });
    expect(seen).toEqual(['double:{}->1:false', 'no-eight:2', 'double:{"n":4}->4:false', 'no-eight:8', 'double:{"n":"6"}->6:false', 'no-eight:12', 'double:{"n":3}->3:true', 'no-eight:6']);
    expect(ran).toEqual([2]);
    expect([one.outcome, four.outcome, twelve.outcome, dry.outcome]).toEqual(['executed', 'failed', 'failed', 'dry-run']);
    expect(one.params).toEqual({ n: 2 });
    // A refusal is the guard's own coded error, not wrapped; a handler failure stays SS_ERR_ACTION_FAILED.
    expect(four.error).toMatchObject({ code: 'SS_ERR_TEST_REFUSED', message: 'eight is refused' });
    expect(twelve.error?.code).toBe('SS_ERR_ACTION_FAILED');
    expect(settled).toEqual(['executed', 'failed', 'failed', 'dry-run']);
    expect(t.events.of('action.failed').map((e) => e.error.code)).toEqual(['SS_ERR_TEST_REFUSED', 'SS_ERR_ACTION_FAILED']);
    // Refusals are logged as such (info), not as errors.
    expect(t.logs.lines.filter((l) => l.level === 30 && String(l.msg).includes('refused: eight is refused'))).toHaveLength(1);
  });

  it('a guard that throws fails the action closed: SS_ERR_ACTION_GUARD_FAILED, the handler never runs', async () => {
    const { plugin, ran } = guarded([
      {
        id: 'buggy',
        types: ['test.echo'],
        check() {
          throw new TypeError('oops');
        },
      },
    ]);
    const t = await startTestKernel({ plugins: [plugin], manifest: { creators: { anna: { enable: ['echo'] } } } });
    const record = await t.kernel.resolve(actionDispatcherRef).dispatch({ type: 'test.echo', params: {} }, { creatorId: 'anna' });
    expect(ran).toEqual([]);
    expect(record.outcome).toBe('failed');
    expect(record.error).toMatchObject({ code: 'SS_ERR_ACTION_GUARD_FAILED', message: 'Action guard "buggy" threw while judging action "test.echo"; the action did not run', cause: { message: 'oops' } });
  });
});

describe('clipRules on clip.create', () => {
  const START = Date.UTC(2026, 11, 5, 12);

  async function creator(clipRules: Record<string, unknown>, clock = new ManualClock(START)) {
    const clips = clipper();
    const t = await startTestKernel({
      plugins: [clips.plugin],
      clock,
      manifest: {
        plugins: { clips: {} },
        creators: { anna: { enable: ['clips'], clipRules, triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: '{arg1}' } }] }, { type: 'command', params: { command: '!c' }, actions: [{ type: 'clip.create', params: {} }] }] } },
      },
    });
    const say = async (text: string, user: string, roles: ChatRole[] = [], platform = 'twitch') => {
      t.bus.emit('chat.message', chat(text, { creatorId: 'anna', user, roles, platform }));
      await t.kernel.idle();
    };
    const refusals = () => t.events.of('action.failed').map((e) => e.error.code);
    return { t, made: clips.made, say, refusals, clock };
  }

  it('roles: only the listed roles (and the broadcaster) may clip from chat; a clip without a chat message is not a viewer\'s', async () => {
    const { t, made, say, refusals } = await creator({ roles: ['moderator', 'vip'] });
    await say('!clip 10', 'viewer');
    await say('!clip 11', 'subscriber', ['subscriber']);
    await say('!clip 12', 'mod', ['moderator']);
    await say('!clip 13', 'owner', ['broadcaster']);
    await t.kernel.resolve(actionDispatcherRef).dispatch({ type: 'clip.create', params: { seconds: 14 } }, { creatorId: 'anna' });
    expect(made.map((m) => m.seconds)).toEqual([12, 13, 14]);
    expect(refusals()).toEqual(['SS_ERR_CLIP_RULES_ROLE', 'SS_ERR_CLIP_RULES_ROLE']);
    expect(t.events.of('action.failed')[0]!.error.message).toBe('Viewer may not clip for creator "anna" (clipping is for moderator, vip)');
  });

  it('refusalReply answers the refused viewer with the reason, once per person in 30 s; no answer without it', async () => {
    const { t, say, clock } = await creator({ roles: ['moderator'], cooldown: { creator: '1m' }, refusalReply: '@{user} no clip: {reason}' });
    const replies = () => t.kernel.resolve(actionDispatcherRef).recent().filter((r) => r.type === 'chat.reply').map((r) => r.params.text);
    await say('!clip 10', 'viewer');
    await say('!clip 10', 'viewer'); // again at once: not answered twice
    await say('!clip 12', 'mod', ['moderator']);
    await say('!clip 12', 'mod2', ['moderator']); // the creator cooldown
    await vi.waitFor(() => expect(replies()).toHaveLength(2));
    expect(replies()).toEqual(['@Viewer no clip: clips are for moderator', '@Mod2 no clip: try again in 60s']);
    clock.advance(31_000);
    await say('!clip 10', 'viewer');
    await vi.waitFor(() => expect(replies()).toHaveLength(3));
    expect(replies()[2]).toBe('@Viewer no clip: clips are for moderator');

    const silent = await creator({ roles: ['moderator'] });
    await silent.say('!clip 10', 'viewer');
    expect(silent.refusals()).toEqual(['SS_ERR_CLIP_RULES_ROLE']);
    expect(silent.t.kernel.resolve(actionDispatcherRef).recent().filter((r) => r.type === 'chat.reply')).toEqual([]);
  });

  it('lengths: the default when none is asked, longer requests shortened to maxSeconds', async () => {
    const { made, say } = await creator({ maxSeconds: 45, defaultSeconds: 15 });
    await say('!c', 'a');
    await say('!clip 90', 'b');
    await say('!clip 20', 'c');
    expect(made.map((m) => m.seconds)).toEqual([15, 45, 20]);
  });

  it('cooldowns: per person across linked accounts, per creator; a clip that was not made does not start them', async () => {
    const { t, made, say, refusals, clock } = await creator({ cooldown: { user: '2m', creator: '20s' } });
    const identity = t.kernel.resolve(identityMapRef);
    await identity.link('sam', { platform: 'twitch', userId: 'id-sam_tw' }, 'operator');
    await identity.link('sam', { platform: 'youtube', userId: 'id-sam_yt' }, 'operator');

    await say('!clip 5 fail', 'sam_tw'); // the handler fails: no cooldown starts
    await say('!clip 5', 'sam_tw');
    clock.advance(30_000);
    await say('!clip 6', 'sam_yt', [], 'youtube'); // the same person on YouTube
    await say('!clip 7', 'other');
    clock.advance(5_000);
    await say('!clip 8', 'third'); // the creator cooldown of other's clip
    clock.advance(90_000);
    await say('!clip 9', 'sam_yt', [], 'youtube');
    expect(made).toEqual([
      { seconds: 5, by: 'sam_tw' },
      { seconds: 7, by: 'other' },
      { seconds: 9, by: 'sam_yt' },
    ]);
    expect(refusals()).toEqual(['SS_ERR_ACTION_FAILED', 'SS_ERR_CLIP_RULES_COOLDOWN', 'SS_ERR_CLIP_RULES_COOLDOWN']);
    const [perViewer, perCreator] = t.events.of('action.failed').slice(1).map((e) => e.error.message);
    expect(perViewer).toBe('Clips of creator "anna" are cooling down (per viewer): 90 s left');
    expect(perCreator).toBe('Clips of creator "anna" are cooling down (per creator): 15 s left');
  });

  it('a reload swaps the creator\'s rules; the tier named on reload applies to the next clip', async () => {
    const { t, made, say, refusals } = await creator({ roles: ['moderator'] });
    await say('!clip 10', 'viewer');
    const next = {
      tiers: { small: { maxClipSeconds: 15 } },
      plugins: { clips: {} },
      creators: { anna: { enable: ['clips'], tier: 'small', clipRules: { roles: ['everyone'] }, triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: '{arg1}' } }] }] } },
    };
    await t.kernel.reload(next);
    await say('!clip 10', 'viewer');
    await say('!clip 20', 'viewer');
    expect(made.map((m) => m.seconds)).toEqual([10]);
    expect(refusals()).toEqual(['SS_ERR_CLIP_RULES_ROLE', 'SS_ERR_TIER_CLIP_TOO_LONG']);
    // A reload over the tier's limits is rejected with the tier's code, and the rules in force stay.
    const rejected = await t.kernel.reload({ ...next, creators: { anna: { ...next.creators.anna, clipRules: { maxSeconds: 30 } } } }).then(
      () => undefined,
      (e: unknown) => e as { code: string; details: { issues: { code: string; path: string }[] } },
    );
    expect(rejected?.code).toBe('SS_ERR_RELOAD_REJECTED');
    expect(rejected?.details.issues.map((i) => [i.code, i.path])).toEqual([['SS_ERR_TIER_CLIP_TOO_LONG', '/creators/anna/clipRules/maxSeconds']]);
    await say('!clip 12', 'viewer');
    expect(made.map((m) => m.seconds)).toEqual([10, 12]);
  });
});
