/**
 * Helix: sending chat through the API, channel points redemptions, scopes
 * and token validation, the device code flow and its token records.
 */
export { HelixChatSender } from './chat-send.js';
export type { HelixChatSenderOptions, HelixSendRequest, HelixSendResult } from './chat-send.js';
export { HelixRedemptions } from './redemptions.js';
export type { HelixRedemptionsOptions, RedemptionStatus, UpdatedRedemption, UpdateRedemptionRequest } from './redemptions.js';
export { helixRequest } from './request.js';
export type { HelixAnswer, HelixRequestOptions, HelixTokenSource } from './request.js';
export {
  featureOfEventType,
  featuresFor,
  isTwitchFeature,
  missingScopes,
  scopesFor,
  TWITCH_DEFAULT_FEATURES,
  TWITCH_FEATURE_SCOPES,
  TWITCH_FEATURES,
  validateToken,
} from './scopes.js';
export type { FeatureScopes, MissingScope, ScopeRequirement, TwitchFeature, ValidatedToken } from './scopes.js';
export { pollDeviceToken, requestDeviceCode } from './device-auth.js';
export type { DeviceAuthOptions, DeviceCode, DeviceTokens, PollDeviceOptions } from './device-auth.js';
export { readUserTokens, saveUserTokens } from './token-store.js';
export type { StoredUserTokens } from './token-store.js';
export {
  RETRYABLE_DROP_REASONS,
  sendDroppedError,
  SS_ERR_TWITCH_DEVICE_AUTH,
  SS_ERR_TWITCH_RATE_LIMITED,
  SS_ERR_TWITCH_REDEMPTION_FORBIDDEN,
} from './errors.js';
