import { didYouMean, pointer, suggest, type ManifestIssue, type ResolvedCreator, type ResolvedManifest } from '@streamsuites/kernel';
import { triggersSection } from '../../triggers/plugin.js';
import { clipRulesSection } from '../clips/schema.js';
import {
  SS_ERR_CLIP_RULES_DESTINATION,
  SS_ERR_TIER_CLIP_TOO_LONG,
  SS_ERR_TIER_CREATORS,
  SS_ERR_TIER_PLATFORM,
  SS_ERR_TIER_PLATFORM_UNKNOWN,
  SS_ERR_TIER_TRIGGERS,
  SS_ERR_TIER_UNKNOWN,
} from '../clips/errors.js';
import { creatorTierSection, KNOWN_PLATFORMS, tiersSection, type Tier } from './schema.js';

/**
 * Every tier and clip-rule problem the whole manifest shows, each with its
 * JSON path: unknown tiers, too many triggers, platforms a tier does not
 * allow, too many creators on a tier, clip lengths over the tier's maximum,
 * destinations the clip rules do not allow. Run at create, on addCreator
 * and on reload (the kernel's checkManifest), so all of them are reported
 * at once, before anything of the configuration applies.
 */
export function limitIssues(manifest: ResolvedManifest): ManifestIssue[] {
  const tiers = tiersSection.read(manifest) ?? {};
  const names = Object.keys(tiers);
  const platforms = new Set([...KNOWN_PLATFORMS, ...Object.values(tiers).flatMap((tier) => tier.platforms ?? [])]);
  const issues: ManifestIssue[] = [...platformIssues(manifest, tiers)];
  const members = new Map<string, string[]>();
  for (const creator of Object.values(manifest.creators)) {
    issues.push(...destinationIssues(manifest, creator));
    const name = creatorTierSection.read(creator);
    if (name === undefined) continue;
    const base = ['creators', creator.id];
    const tier = Object.hasOwn(tiers, name) ? tiers[name] : undefined;
    if (tier === undefined) {
      issues.push({
        code: SS_ERR_TIER_UNKNOWN.code,
        path: pointer([...base, 'tier']),
        message: new SS_ERR_TIER_UNKNOWN(creator.id, name).message,
        hint: names.length === 0 ? 'Define the tier under the top-level "tiers" key, or remove "tier".' : `${didYouMean(suggest(name, names))} Known tiers: ${names.join(', ')}.`.trim(),
      });
      continue;
    }
    members.set(name, [...(members.get(name) ?? []), creator.id]);
    issues.push(...creatorIssues(creator, name, tier, platforms));
  }
  for (const [name, ids] of members) {
    const max = tiers[name]!.maxCreators;
    if (max === undefined || ids.length <= max) continue;
    // Reported on each creator past the limit (manifest order), where the fix is made.
    for (const id of ids.slice(max)) {
      issues.push({
        code: SS_ERR_TIER_CREATORS.code,
        path: pointer(['creators', id, 'tier']),
        message: new SS_ERR_TIER_CREATORS(name, ids.length, max).message,
        hint: `Tier "${name}" allows ${max} creator${max === 1 ? '' : 's'} (${ids.slice(0, max).join(', ') || 'none'} ${max === 1 ? 'is' : 'are'} on it first): move "${id}" to another tier, or raise tiers.${name}.maxCreators.`,
      });
    }
  }
  return issues;
}

/** A tier's `platforms` entry that names nothing: a typo would otherwise forbid the platform meant. */
function platformIssues(manifest: ResolvedManifest, tiers: Record<string, Tier>): ManifestIssue[] {
  const known = [...new Set([...KNOWN_PLATFORMS, ...Object.keys(manifest.plugins)])];
  return Object.entries(tiers).flatMap(([name, tier]) =>
    (tier.platforms ?? []).flatMap((platform, index) =>
      known.includes(platform)
        ? []
        : [
            {
              code: SS_ERR_TIER_PLATFORM_UNKNOWN.code,
              path: pointer(['tiers', name, 'platforms', index]),
              message: new SS_ERR_TIER_PLATFORM_UNKNOWN(name, platform).message,
              hint: `${didYouMean(suggest(platform, known))} ${new SS_ERR_TIER_PLATFORM_UNKNOWN(name, platform).hint}`.trim(),
            },
          ],
    ),
  );
}

function creatorIssues(creator: ResolvedCreator, name: string, tier: Tier, platforms: ReadonlySet<string>): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const base = ['creators', creator.id];
  const triggers = triggersSection.read(creator) ?? [];
  if (tier.maxTriggers !== undefined && triggers.length > tier.maxTriggers) {
    issues.push({
      code: SS_ERR_TIER_TRIGGERS.code,
      path: pointer([...base, 'triggers', tier.maxTriggers]),
      message: new SS_ERR_TIER_TRIGGERS(creator.id, name, triggers.length, tier.maxTriggers).message,
      hint: `Keep at most ${tier.maxTriggers} triggers (this one and those after it are over), or move the creator to a tier with a higher maxTriggers.`,
    });
  }
  if (tier.platforms !== undefined) {
    creator.enable.forEach((plugin, index) => {
      if (!platforms.has(plugin) || tier.platforms!.includes(plugin)) return;
      issues.push({
        code: SS_ERR_TIER_PLATFORM.code,
        path: pointer([...base, 'enable', index]),
        message: new SS_ERR_TIER_PLATFORM(creator.id, name, plugin).message,
        hint: `Tier "${name}" allows ${tier.platforms!.join(', ') || 'no platform'}: remove "${plugin}" from "enable", or move the creator to a tier that allows it.`,
      });
    });
  }
  const max = tier.maxClipSeconds;
  if (max !== undefined) {
    const rules = clipRulesSection.read(creator);
    if (rules?.maxSeconds !== undefined && rules.maxSeconds > max) {
      issues.push(tooLong([...base, 'clipRules', 'maxSeconds'], creator.id, name, rules.maxSeconds, max));
    }
    if (rules?.defaultSeconds !== undefined && rules.defaultSeconds > max) {
      issues.push(tooLong([...base, 'clipRules', 'defaultSeconds'], creator.id, name, rules.defaultSeconds, max));
    }
    triggers.forEach((trigger, t) => {
      trigger.actions.forEach((action, a) => {
        if (action.type !== 'clip.create') return;
        // A templated length ("{arg1}") is checked when the clip is asked for.
        const seconds = Number((action.params as Record<string, unknown> | undefined)?.seconds);
        if (Number.isFinite(seconds) && seconds > max) issues.push(tooLong([...base, 'triggers', t, 'actions', a, 'params', 'seconds'], creator.id, name, seconds, max));
      });
    });
  }
  return issues;
}

function tooLong(path: (string | number)[], creatorId: string, tier: string, seconds: number, max: number): ManifestIssue {
  const error = new SS_ERR_TIER_CLIP_TOO_LONG(creatorId, tier, seconds, max);
  return { code: error.code, path: pointer(path), message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
}

/**
 * clipRules.destinations against where plugin-clips would publish: the
 * creator's `config.clips.destination`, else the plugin-wide
 * `destinations.destination`, else Rumble (plugin-clips' default). Read by
 * key: the defaults do not import plugin-clips.
 */
function destinationIssues(manifest: ResolvedManifest, creator: ResolvedCreator): ManifestIssue[] {
  const allowed = clipRulesSection.read(creator)?.destinations;
  if (allowed === undefined || !creator.enable.includes('clips')) return [];
  const own = kindOf(creator.config.clips?.destination);
  const shared = kindOf((manifest.plugins.clips?.config.destinations as { destination?: unknown } | undefined)?.destination);
  const kind = own ?? shared ?? 'rumble';
  if (allowed.includes(kind)) return [];
  return [
    {
      code: SS_ERR_CLIP_RULES_DESTINATION.code,
      path: pointer(own === undefined ? ['creators', creator.id, 'clipRules', 'destinations'] : ['creators', creator.id, 'config', 'clips', 'destination', 'kind']),
      message: new SS_ERR_CLIP_RULES_DESTINATION(creator.id, kind, allowed.join(', ')).message,
      hint: new SS_ERR_CLIP_RULES_DESTINATION(creator.id, kind, allowed.join(', ')).hint!,
    },
  ];
}

function kindOf(rule: unknown): string | undefined {
  const kind = (rule as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? kind : undefined;
}
