import { SS_ERR_TWITCH_HELIX_FAILED } from '../errors.js';
import { SS_ERR_TWITCH_REDEMPTION_FORBIDDEN } from './errors.js';
import { helixRequest, messageOf, type HelixRequestOptions } from './request.js';

export type RedemptionStatus = 'FULFILLED' | 'CANCELED';

export interface UpdateRedemptionRequest {
  broadcasterId: string;
  rewardId: string;
  redemptionId: string;
  status: RedemptionStatus;
}

/** The redemption as Twitch answers after the update (camelCase). */
export interface UpdatedRedemption {
  id: string;
  rewardId: string;
  status: string;
  userId: string;
  userLogin: string;
  userInput: string;
  redeemedAt: string;
}

interface RedemptionWire {
  id?: string;
  user_id?: string;
  user_login?: string;
  user_input?: string;
  status?: string;
  redeemed_at?: string;
  reward?: { id?: string };
}

export type HelixRedemptionsOptions = Omit<HelixRequestOptions, 'subject'> & {
  /** Named in SS_ERR_TWITCH_AUTH. */
  creatorId: string;
};

/**
 * Channel points redemptions through Helix "Update Redemption Status"
 * (`PATCH /helix/channel_points/custom_rewards/redemptions`), with the
 * broadcaster's user token carrying `channel:manage:redemptions`. Twitch
 * only lets the app that created a reward update its redemptions: anything
 * else answers 403, reported as SS_ERR_TWITCH_REDEMPTION_FORBIDDEN.
 */
export class HelixRedemptions {
  readonly #options: HelixRedemptionsOptions;

  constructor(options: HelixRedemptionsOptions) {
    this.#options = options;
  }

  async updateRedemption(request: UpdateRedemptionRequest, signal?: AbortSignal): Promise<UpdatedRedemption> {
    if (request.status !== 'FULFILLED' && request.status !== 'CANCELED') {
      throw new SS_ERR_TWITCH_HELIX_FAILED(`Update Redemption Status: status must be FULFILLED or CANCELED, not "${String(request.status)}"`);
    }
    const query = new URLSearchParams({ id: request.redemptionId, broadcaster_id: request.broadcasterId, reward_id: request.rewardId });
    const path = `/channel_points/custom_rewards/redemptions?${query}`;
    const answer = await helixRequest({ ...this.#options, subject: this.#options.creatorId }, 'PATCH', path, { status: request.status }, signal);
    const serverText = messageOf(answer.body) ?? `HTTP ${answer.status}`;
    if (answer.status === 403) {
      throw new SS_ERR_TWITCH_REDEMPTION_FORBIDDEN(request.rewardId, serverText, {
        details: { status: 403, broadcasterId: request.broadcasterId, rewardId: request.rewardId, redemptionId: request.redemptionId },
      });
    }
    if (answer.status !== 200) {
      throw new SS_ERR_TWITCH_HELIX_FAILED(`PATCH /channel_points/custom_rewards/redemptions answered ${answer.status} (${serverText})`, {
        details: { status: answer.status, rewardId: request.rewardId, redemptionId: request.redemptionId, retryable: false },
        hint:
          answer.status === 404
            ? 'No such redemption, or it is no longer UNFULFILLED (only unfulfilled redemptions can change status).'
            : answer.status === 400
              ? 'Check the ids and that the token has the channel:manage:redemptions scope.'
              : undefined,
      });
    }
    const wire = ((answer.body as { data?: RedemptionWire[] } | undefined)?.data ?? [])[0];
    if (wire === undefined || typeof wire.id !== 'string') {
      throw new SS_ERR_TWITCH_HELIX_FAILED('PATCH /channel_points/custom_rewards/redemptions answered without data[0]');
    }
    return {
      id: wire.id,
      rewardId: wire.reward?.id ?? request.rewardId,
      status: wire.status ?? request.status,
      userId: wire.user_id ?? '',
      userLogin: wire.user_login ?? '',
      userInput: wire.user_input ?? '',
      redeemedAt: wire.redeemed_at ?? '',
    };
  }
}
