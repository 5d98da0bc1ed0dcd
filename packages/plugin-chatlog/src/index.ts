/**
 * @streamsuites/plugin-chatlog: every normalized chat event in append-only
 * JSONL per creator per day, and the reader `streamsuites replay` uses.
 */
import { chatLogPlugin } from './plugin.js';

export default chatLogPlugin;
export { chatLogPlugin };
export { configSchema, creatorConfigSchema, DEFAULT_EVENTS } from './config.js';
export type { ChatLogConfig, ChatLogCreatorConfig } from './config.js';
export { CHATLOG_SCHEMA, CHATLOG_VERSION, dayOf, fileName, parseFileName } from './format.js';
export type { ChatLogEntry, ChatLogHeader } from './format.js';
export { ChatLogWriter } from './writer.js';
export type { ChatLogWriterOptions } from './writer.js';
export { pruneChatLogs } from './retention.js';
export { hashId, hashUserIds } from './hash.js';
export { mergeChatLogBatches, mergeChatLogs, openChatLogs, readChatLog, readChatLogBatches } from './reader.js';
export type { ChatLogFile, ChatLogProblem, LoggedEvent } from './reader.js';
export { SS_ERR_CHATLOG_NOT_FOUND, SS_ERR_CHATLOG_NO_SALT, SS_ERR_CHATLOG_VERSION } from './errors.js';
