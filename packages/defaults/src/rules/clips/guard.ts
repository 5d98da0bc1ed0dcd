import type { ActionGuard, ActionGuardContext, ActionGuardVerdict, ChatMessage, Clock, IdentityMap, ResolvedManifest, StreamSuitesError } from '@streamsuites/kernel';
import { tiersSection } from '../tiers/schema.js';
import { SS_ERR_CLIP_RULES_COOLDOWN, SS_ERR_CLIP_RULES_ROLE, SS_ERR_TIER_CLIP_TOO_LONG, SS_ERR_TIER_CLIPS_PER_HOUR } from './errors.js';
import type { ClipLedger } from './ledger.js';
import type { CompiledClipRules } from './schema.js';

/** What the guard knows of one running creator; replaced whole on reload. */
export interface CreatorLimits {
  /** The creator's tier name; its limits are read from the current manifest. */
  tier?: string;
  clip?: CompiledClipRules;
}

/** The services the guard uses, bound once creators are about to start. */
export interface ClipGuardServices {
  ledger: ClipLedger;
  identity: IdentityMap;
  clock: Clock;
  /** The manifest in force (the kernel's, replaced on reload). */
  manifest(): ResolvedManifest;
  /** Answers a viewer in the chat their message came from (a `chat.reply` through the dispatcher). */
  reply(creatorId: string, message: ChatMessage, text: string): void;
}

/** One refusal answer per viewer and creator in this long: a viewer spamming `!clip` is not answered each time. */
export const REFUSAL_REPLY_QUIET_MS = 30_000;

/** What the viewer is told, by refusal. */
function reasonOf(error: StreamSuitesError): string {
  const d = error.details as Record<string, unknown>;
  switch (error.code) {
    case 'SS_ERR_CLIP_RULES_ROLE':
      return 'clips are for ' + String(d.allowed ?? 'some viewers only');
    case 'SS_ERR_CLIP_RULES_COOLDOWN':
      return `try again in ${Math.ceil(Number(d.remainingMs ?? 0) / 1000)}s`;
    case 'SS_ERR_TIER_CLIP_TOO_LONG':
      return `clips are at most ${String(d.max)}s`;
    case 'SS_ERR_TIER_CLIPS_PER_HOUR':
      return `the limit of ${String(d.max)} clips an hour is reached`;
    default:
      return 'not allowed now';
  }
}

/**
 * The clip.create guard: tier and clip rules enforced on every clip,
 * whether a chat trigger, Discord's `/clip` or a host asked for it. In order:
 * who may clip (chat only), the length (the rules' default, shortened to
 * clipRules.maxSeconds, then refused over the tier's maxClipSeconds when
 * asked for, shortened when it was only the default), the cooldowns (per
 * person: linked accounts share one; per creator), the tier's clips per
 * hour. Uses are counted only for a clip that is really made (not in
 * dry-run), and given back when the clip was not made.
 */
export function clipGuard(limits: ReadonlyMap<string, CreatorLimits>, services: () => ClipGuardServices | undefined): ActionGuard {
  /** Creator + person → when they were last answered (kernel clock). */
  const answered = new Map<string, number>();
  const answer = (bound: ClipGuardServices, rules: CompiledClipRules | undefined, ctx: ActionGuardContext, error: StreamSuitesError) => {
    const message = ctx.message;
    if (rules?.refusalReply === undefined || message === undefined || ctx.dryRun) return;
    const now = bound.clock.now();
    const key = `${ctx.creatorId}\u0000${bound.identity.personKey(message.platform, message.author.id)}`;
    if (now - (answered.get(key) ?? -Infinity) < REFUSAL_REPLY_QUIET_MS) return;
    if (answered.size > 1000) for (const [k, at] of answered) if (now - at >= REFUSAL_REPLY_QUIET_MS) answered.delete(k);
    answered.set(key, now);
    const text = rules.refusalReply.replaceAll('{user}', message.author.displayName || message.author.login).replaceAll('{reason}', reasonOf(error));
    // After this dispatch settles: a guard must not dispatch from inside another dispatch.
    queueMicrotask(() => bound.reply(ctx.creatorId, message, text));
  };
  return {
    id: 'clipRules',
    types: ['clip.create'],
    check(action, ctx) {
      const verdict = judge(action, ctx);
      if (verdict !== undefined && 'refuse' in verdict) {
        const bound = services();
        if (bound !== undefined) answer(bound, limits.get(ctx.creatorId)?.clip, ctx, verdict.refuse);
      }
      return verdict;
    },
  };

  function judge(action: Parameters<ActionGuard['check']>[0], ctx: ActionGuardContext): ActionGuardVerdict | undefined {
      const creator = limits.get(ctx.creatorId);
      if (creator === undefined || (creator.tier === undefined && creator.clip === undefined)) return undefined;
      const bound = services();
      // Rules that cannot be checked refuse (the dispatcher's SS_ERR_ACTION_GUARD_FAILED), never let everything through.
      if (bound === undefined) throw new Error('clip limits are not ready: the limits plugin\'s beforeCreators hook did not run or failed (see the log)');
      const tierName = creator.tier;
      const tier = tierName === undefined ? undefined : tiersSection.read(bound.manifest())?.[tierName];
      const rules = creator.clip;
      const author = ctx.message?.author;

      // Who: chat roles (a clip without a chat message was asked by the host or an admin command).
      if (rules?.roles !== undefined && author !== undefined && !rules.roles.includes('everyone')) {
        const allowed = author.roles.includes('broadcaster') || author.roles.some((role) => (rules.roles as readonly string[]).includes(role));
        if (!allowed) return { refuse: new SS_ERR_CLIP_RULES_ROLE(ctx.creatorId, author.displayName || author.login, rules.roles.join(', '), { details: { roles: [...author.roles], allowed: rules.roles.join(', ') } }) };
      }

      // How long.
      const asked = action.given.seconds !== undefined;
      let seconds = Number(action.params.seconds);
      if (!asked && rules?.defaultSeconds !== undefined) seconds = rules.defaultSeconds;
      if (rules?.maxSeconds !== undefined && seconds > rules.maxSeconds) seconds = rules.maxSeconds;
      if (tier?.maxClipSeconds !== undefined && seconds > tier.maxClipSeconds) {
        if (asked) return { refuse: new SS_ERR_TIER_CLIP_TOO_LONG(ctx.creatorId, tierName!, seconds, tier.maxClipSeconds, { details: { seconds, max: tier.maxClipSeconds } }) };
        seconds = tier.maxClipSeconds;
      }

      // How often.
      const { ledger } = bound;
      const cooldowns: [key: string, ms: number, level: string][] = [];
      if (rules?.userCooldownMs !== undefined && ctx.message !== undefined) {
        const person = bound.identity.personKey(ctx.message.platform, ctx.message.author.id);
        cooldowns.push([`user\u0000${ctx.creatorId}\u0000${person}`, rules.userCooldownMs, 'per viewer']);
      }
      if (rules?.creatorCooldownMs !== undefined) cooldowns.push([`creator\u0000${ctx.creatorId}`, rules.creatorCooldownMs, 'per creator']);
      for (const [key, , level] of cooldowns) {
        const left = ledger.cooldownLeft(key);
        if (left > 0) return { refuse: new SS_ERR_CLIP_RULES_COOLDOWN(ctx.creatorId, level, Math.ceil(left / 1000), { details: { remainingMs: left } }) };
      }
      if (tier?.clipsPerHour !== undefined && ledger.clipsInLastHour(ctx.creatorId) >= tier.clipsPerHour) {
        return { refuse: new SS_ERR_TIER_CLIPS_PER_HOUR(ctx.creatorId, tierName!, tier.clipsPerHour, { details: { max: tier.clipsPerHour, nextInMs: ledger.nextFreeIn(ctx.creatorId) } }) };
      }

      const params = seconds === action.params.seconds ? undefined : { ...action.params, seconds };
      if (ctx.dryRun) return params === undefined ? undefined : { params };
      // Reserved now (so a second request in the same tick sees it), given back if the clip is not made.
      const undo = cooldowns.map(([key, ms]) => ledger.startCooldown(key, ms));
      // Every clip of a tiered creator is counted, so a clipsPerHour added on reload sees the last hour.
      if (tierName !== undefined) undo.push(ledger.countClip(ctx.creatorId));
      return {
        ...(params === undefined ? {} : { params }),
        settled(record) {
          if (record.outcome !== 'executed') for (const step of undo) step();
        },
      };
  }
}
