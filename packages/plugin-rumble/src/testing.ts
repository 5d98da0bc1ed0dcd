/**
 * @streamsuites/plugin-rumble/testing — a local Rumble Live Stream API
 * server and a local live chat page, for tests and the demo; never for
 * production.
 */
export {};
