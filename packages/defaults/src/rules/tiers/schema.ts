import { defineManifestSection, Type, type Static } from '@streamsuites/kernel';

const TierName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', maxLength: 40 });

/** One tier's limits; a limit left out is no limit. */
export const TierSchema = Type.Object(
  {
    /** Chat triggers a creator on this tier may have. */
    maxTriggers: Type.Optional(Type.Integer({ minimum: 0, description: 'Chat triggers a creator may have.' })),
    /** The longest clip, in seconds (validate time: clip.create params; run time: every clip.create). */
    maxClipSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, description: 'The longest clip in seconds.' })),
    /** Clips a creator may make in any 60 minutes (kernel clock; the count survives a restart). */
    clipsPerHour: Type.Optional(Type.Integer({ minimum: 0, description: 'Clips a creator may make in any 60 minutes.' })),
    /** Platform plugins a creator may enable (twitch, youtube, rumble, kick, x, pilled, discord, or a plugin id named here); other plugins are not limited. */
    platforms: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 40 }), { uniqueItems: true, description: 'Platform plugins a creator may enable.' })),
    /** Creators that may be on this tier. */
    maxCreators: Type.Optional(Type.Integer({ minimum: 0, description: 'Creators that may be on this tier.' })),
  },
  { additionalProperties: false, description: "One tier's limits; a limit left out is no limit." },
);
export type Tier = Static<typeof TierSchema>;

/** Top-level `tiers`: named tiers with their limits. */
export const tiersSection = defineManifestSection({
  key: 'tiers',
  scope: 'manifest',
  schema: Type.Record(TierName, TierSchema, { description: 'Named tiers with limits; a creator joins one with "tier".' }),
});

/** `creators.<id>.tier`: the tier whose limits apply to the creator (none: no limits). */
export const creatorTierSection = defineManifestSection({
  key: 'tier',
  scope: 'creator',
  schema: Type.String({ minLength: 1, maxLength: 40, description: 'A tier defined under the top-level "tiers".' }),
});

/**
 * The plugins `platforms` speaks of: the platform plugins we know, plus any
 * plugin id a tier names (a third-party platform is limited once a tier
 * lists it). Other plugins (clips, exports ...) are not platforms.
 */
export const KNOWN_PLATFORMS: readonly string[] = ['twitch', 'youtube', 'rumble', 'kick', 'x', 'pilled', 'discord'];
