/**
 * @streamsuites/plugin-twitch — Twitch chat for StreamSuites (work in progress:
 * IRC parsing and normalization first; the plugin itself follows).
 */
export {};
