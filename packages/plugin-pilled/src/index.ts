/**
 * @streamsuites/plugin-pilled — Pilled (pilled.net). Pilled publishes no
 * public, documented API, so on its own this plugin validates its config and
 * reports SS_ERR_PLATFORM_UNSUPPORTED per creator; a host-supplied
 * PilledTransport makes it read chat and live status.
 */
import { pilledPlugin } from './plugin.js';

export default pilledPlugin;
export { channelOfAddress, createPilledPlugin, pilledPlugin, PILLED_RESEARCH_DATE, PILLED_UNSUPPORTED_REASON } from './plugin.js';
export type { CreatePilledPluginOptions } from './plugin.js';
export { configSchema, creatorConfigSchema, PILLED_CHANNEL_PATTERN } from './config.js';
export type { PilledConfig, PilledCreatorConfig } from './config.js';
export { pilledItemProblem, pilledTransportsExtensionPoint } from './transport.js';
export type { PilledChatItem, PilledConnectTarget, PilledConnection, PilledItem, PilledLiveItem, PilledTransport } from './transport.js';
export * from './errors.js';
