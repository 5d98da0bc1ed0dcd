import { defineManifestSection, pointer, Type, type ManifestIssue, type Static } from '@streamsuites/kernel';
import { parseDuration } from '../../triggers/duration.js';
import { SS_ERR_CLIP_RULES_INVALID } from './errors.js';

/** Who may clip: the chat roles, or everyone. The broadcaster always may. */
export const CLIP_ROLES = ['broadcaster', 'moderator', 'vip', 'subscriber', 'member', 'everyone'] as const;
export type ClipRole = (typeof CLIP_ROLES)[number];

const Duration = Type.String({ pattern: '^\\d+(\\.\\d+)?(ms|s|m|h)$', description: 'A duration such as "30s", "2m", "1h".' });

export const ClipRulesSchema = Type.Object(
  {
    /** Roles that may clip from chat (the broadcaster always may); absent: everyone. */
    roles: Type.Optional(Type.Array(Type.Union(CLIP_ROLES.map((role) => Type.Literal(role))), { uniqueItems: true, minItems: 1, description: 'Chat roles that may clip; "everyone" for all.' })),
    /** A longer clip request is shortened to this many seconds. */
    maxSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, description: 'Longer requests are shortened to this.' })),
    /** The length of a clip whose trigger or command gives none. */
    defaultSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, description: 'Length when the request gives none.' })),
    /** `user`: per person (linked accounts share it); `creator`: between any two clips of the creator. */
    cooldown: Type.Optional(
      Type.Object({ user: Type.Optional(Duration), creator: Type.Optional(Duration) }, { additionalProperties: false, description: 'Time between clips per person and per creator.' }),
    ),
    /** Answer in chat when a viewer's clip is refused; `{user}` and `{reason}` are filled in. Absent: refusals are silent. */
    refusalReply: Type.Optional(
      Type.String({ minLength: 1, maxLength: 400, description: 'Chat reply to a viewer whose clip is refused, e.g. "@{user} no clip: {reason}". {user} and {reason} are filled in.' }),
    ),
    /** Destination kinds the creator's clips may be published to (plugin-clips: local, http, rumble, or a plugin's kind). */
    destinations: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 40 }), { uniqueItems: true, minItems: 1, description: 'Destination kinds allowed (local, http, rumble ...).' })),
  },
  {
    additionalProperties: false,
    description: "Who may clip, how long, how often and to where; enforced on every clip.create of the creator, whoever asked (chat, Discord's /clip, a host).",
  },
);
export type ClipRules = Static<typeof ClipRulesSchema>;

/** `creators.<id>.clipRules`: who may clip, how long, how often, and to where. */
export const clipRulesSection = defineManifestSection({
  key: 'clipRules',
  scope: 'creator',
  schema: ClipRulesSchema,
  check(rules, path) {
    const issues: ManifestIssue[] = [];
    const creatorId = String(path[1] ?? '');
    if (rules.defaultSeconds !== undefined && rules.maxSeconds !== undefined && rules.defaultSeconds > rules.maxSeconds) {
      issues.push({
        code: SS_ERR_CLIP_RULES_INVALID.code,
        path: pointer([...path, 'defaultSeconds']),
        message: new SS_ERR_CLIP_RULES_INVALID(creatorId, `defaultSeconds ${rules.defaultSeconds} is over maxSeconds ${rules.maxSeconds}`).message,
        hint: `Lower defaultSeconds to ${rules.maxSeconds} or less, or raise maxSeconds.`,
      });
    }
    for (const level of ['user', 'creator'] as const) {
      const value = rules.cooldown?.[level];
      if (value !== undefined && parseDuration(value) === undefined) {
        issues.push({
          code: SS_ERR_CLIP_RULES_INVALID.code,
          path: pointer([...path, 'cooldown', level]),
          message: new SS_ERR_CLIP_RULES_INVALID(creatorId, `cooldown.${level} "${value}" is not a duration of at most a year`).message,
          hint: 'Use a duration such as "30s", "2m" or "1h".',
        });
      }
    }
    return issues;
  },
});

/** A creator's clip rules ready for the guard (durations in ms). */
export interface CompiledClipRules {
  roles?: readonly ClipRole[];
  maxSeconds?: number;
  defaultSeconds?: number;
  userCooldownMs?: number;
  creatorCooldownMs?: number;
  refusalReply?: string;
}

export function compileClipRules(rules: ClipRules | undefined): CompiledClipRules | undefined {
  if (rules === undefined) return undefined;
  const user = rules.cooldown?.user === undefined ? undefined : parseDuration(rules.cooldown.user);
  const creator = rules.cooldown?.creator === undefined ? undefined : parseDuration(rules.cooldown.creator);
  return {
    ...(rules.roles === undefined ? {} : { roles: rules.roles }),
    ...(rules.maxSeconds === undefined ? {} : { maxSeconds: rules.maxSeconds }),
    ...(rules.defaultSeconds === undefined ? {} : { defaultSeconds: rules.defaultSeconds }),
    ...(user === undefined ? {} : { userCooldownMs: user }),
    ...(creator === undefined ? {} : { creatorCooldownMs: creator }),
    ...(rules.refusalReply === undefined ? {} : { refusalReply: rules.refusalReply }),
  };
}
