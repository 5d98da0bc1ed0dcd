/**
 * Clip destinations: where a finished clip is published (a folder, an HTTP
 * endpoint, Rumble through Chromium), and the per-creator rule resolution.
 */
export { LocalDestination } from './destinations/local.js';
export type { LocalDestinationDeps } from './destinations/local.js';
export { HttpDestination } from './destinations/http.js';
export type { HttpDestinationDeps } from './destinations/http.js';
export { CHROMIUM_ARGS, RumbleDestination, channelSlug } from './destinations/rumble.js';
export type { RumbleDestinationDeps } from './destinations/rumble.js';
export { BUILTIN_DESTINATION_KINDS, resolveDestination } from './destinations/resolve.js';
export type { DestinationDefaults, DestinationFactory } from './destinations/resolve.js';
export {
  DEFAULT_CHANNEL_URL,
  DEFAULT_CHROMIUM_PATH,
  HTTP_DEFAULTS,
  LOCAL_DEFAULTS,
  RUMBLE_DEFAULTS,
  RUMBLE_SELECTORS,
  RUMBLE_UPLOAD_URL,
  backoffSchema,
  destinationDefaultsSchema,
  destinationRuleSchema,
  httpDestinationOptionsSchema,
  httpRuleSchema,
  localDestinationOptionsSchema,
  localRuleSchema,
  rumbleDestinationOptionsSchema,
  rumbleRuleSchema,
  rumbleSelectorsSchema,
} from './destinations/config.js';
export type {
  BackoffOptions,
  CustomDestinationRule,
  DestinationDefaultsConfig,
  DestinationRule,
  HttpDestinationOptions,
  LocalDestinationOptions,
  RumbleDestinationOptions,
  RumbleSelectors,
} from './destinations/config.js';
export { SS_ERR_CLIPS_CHROMIUM_MISSING, SS_ERR_CLIPS_DESTINATION_INVALID, SS_ERR_CLIPS_UPLOAD_FAILED } from './destinations/errors.js';
export type { DestinationLogger } from './destinations/shared.js';
