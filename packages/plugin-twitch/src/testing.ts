/** Test helpers for Twitch chat: a local IRC-over-WebSocket server (work in progress). */
export {};
