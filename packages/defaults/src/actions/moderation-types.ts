import { Type, type ActionType } from '@streamsuites/kernel';

/**
 * Chat moderation on the message that fired the action (`ctx.message`):
 * platform plugins implement them where the platform allows it (Twitch
 * Helix, YouTube Data API); elsewhere the dispatcher finds no handler
 * (SS_ERR_ACTION_NO_HANDLER) and the chat rules warn instead.
 */
export const moderationActionTypes: readonly ActionType[] = [
  {
    type: 'chat.delete',
    description: 'Delete the chat message that fired the action.',
    paramsSchema: Type.Object({}, { additionalProperties: false }),
  },
  {
    type: 'chat.timeout',
    description: "Time the message's author out of the chat for `seconds` (Twitch: 1 to 1209600; YouTube: a temporary ban).",
    paramsSchema: Type.Object(
      {
        seconds: Type.Integer({ minimum: 1, maximum: 1_209_600 }),
        reason: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
  },
];
