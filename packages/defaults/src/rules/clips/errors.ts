import { defineError } from '@streamsuites/kernel';

/*
 * Tier and clip-rule error codes: the validate-time ones are manifest issue
 * codes (with JSON paths), the run-time ones are the refusals the clip.create
 * guard answers with (the action record's error).
 */

// ── Tiers ───────────────────────────────────────────────────────────────────
export const SS_ERR_TIER_UNKNOWN = defineError(
  'SS_ERR_TIER_UNKNOWN',
  (creatorId: string, tier: string) => `Creator "${creatorId}" names tier "${tier}", which the top-level "tiers" does not define`,
  'Use one of the tiers defined under the top-level "tiers" key, or define this one there.',
);
export const SS_ERR_TIER_TRIGGERS = defineError(
  'SS_ERR_TIER_TRIGGERS',
  (creatorId: string, tier: string, count: number, max: number) => `Creator "${creatorId}" has ${count} triggers; tier "${tier}" allows ${max}`,
  'Remove triggers, or move the creator to a tier with a higher maxTriggers.',
);
export const SS_ERR_TIER_PLATFORM = defineError(
  'SS_ERR_TIER_PLATFORM',
  (creatorId: string, tier: string, platform: string) => `Creator "${creatorId}" enables platform "${platform}", which tier "${tier}" does not allow`,
  'Remove the platform from the creator\'s "enable" list, add it to the tier\'s "platforms", or move the creator to a tier that allows it.',
);
export const SS_ERR_TIER_PLATFORM_UNKNOWN = defineError(
  'SS_ERR_TIER_PLATFORM_UNKNOWN',
  (tier: string, platform: string) => `Tier "${tier}" allows platform "${platform}", which is neither a known platform nor a plugin of this manifest`,
  'Use a platform plugin id (twitch, youtube, rumble, kick, x, pilled, discord) or the id of a plugin declared under "plugins".',
);
export const SS_ERR_TIER_CREATORS = defineError(
  'SS_ERR_TIER_CREATORS',
  (tier: string, count: number, max: number) => `Tier "${tier}" has ${count} creators; it allows ${max}`,
  'Move creators to another tier, or raise the tier\'s maxCreators.',
);
export const SS_ERR_TIER_CLIP_TOO_LONG = defineError(
  'SS_ERR_TIER_CLIP_TOO_LONG',
  (creatorId: string, tier: string, seconds: number, max: number) => `A ${seconds} s clip for creator "${creatorId}" is longer than tier "${tier}" allows (${max} s)`,
  (_creatorId: string, _tier: string, _seconds: number, max: number) => `Ask for ${max} seconds or less (set clipRules.maxSeconds to shorten longer requests instead of refusing them), or move the creator to a tier with a higher maxClipSeconds.`,
);
export const SS_ERR_TIER_CLIPS_PER_HOUR = defineError(
  'SS_ERR_TIER_CLIPS_PER_HOUR',
  (creatorId: string, tier: string, max: number) => `Creator "${creatorId}" made ${max} clips in the last hour, all tier "${tier}" allows`,
  'Wait until the oldest clip of the last hour is an hour old, or move the creator to a tier with a higher clipsPerHour.',
);

// ── Clip rules ──────────────────────────────────────────────────────────────
export const SS_ERR_CLIP_RULES_INVALID = defineError(
  'SS_ERR_CLIP_RULES_INVALID',
  (creatorId: string, problem: string) => `Invalid clipRules of creator "${creatorId}": ${problem}`,
  'Durations are like "30s", "2m", "1h"; defaultSeconds must not exceed maxSeconds.',
);
export const SS_ERR_CLIP_RULES_ROLE = defineError(
  'SS_ERR_CLIP_RULES_ROLE',
  (creatorId: string, user: string, roles: string) => `${user} may not clip for creator "${creatorId}" (clipping is for ${roles})`,
  'Give the viewer one of the roles in the creator\'s clipRules.roles, or add "everyone" to them.',
);
export const SS_ERR_CLIP_RULES_COOLDOWN = defineError(
  'SS_ERR_CLIP_RULES_COOLDOWN',
  (creatorId: string, level: string, seconds: number) => `Clips of creator "${creatorId}" are cooling down (${level}): ${seconds} s left`,
  'Wait for the cooldown, or shorten clipRules.cooldown.',
);
export const SS_ERR_CLIP_RULES_DESTINATION = defineError(
  'SS_ERR_CLIP_RULES_DESTINATION',
  (creatorId: string, kind: string, allowed: string) => `Clips of creator "${creatorId}" would be published to a "${kind}" destination; its clipRules.destinations allow ${allowed}`,
  'Set the creator\'s config.clips.destination (or plugins.clips.config.destinations.destination) to an allowed kind, or allow this kind in clipRules.destinations.',
);
