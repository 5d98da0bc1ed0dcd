/**
 * streamsuites-plugin-emote-combo — the public API: the plugin (default
 * export, what the kernel loads by package name), its trigger type and params.
 */
export { default, emoteComboTriggerType } from './plugin.js';
export { emoteComboParams } from './config.js';
export type { EmoteComboParams } from './config.js';
