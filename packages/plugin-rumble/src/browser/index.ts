/** Browser mode, as the plugin wires it: one RumbleBrowserChat per creator with `mode: "browser"` or `"both"`. */
export { RumbleBrowserChat } from './browser-chat.js';
export { pageLabel } from './page-errors.js';
export type { RumbleBrowserChatOptions, RumbleBrowserLogger, RumbleBrowserStats, RumbleBrowserStatus } from './browser-chat.js';
export { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH, findChromium } from './chromium.js';
