import { defineError } from '@streamsuites/kernel';

/** Coded errors of @streamsuites/plugin-chatlog; every code is in the README "Errors" table. */

export const SS_ERR_CHATLOG_VERSION = defineError(
  'SS_ERR_CHATLOG_VERSION',
  (file: string, found: string) => `${file} is not a chat log this version can read (${found})`,
  'Replay it with the StreamSuites version that wrote it, or upgrade @streamsuites/plugin-chatlog.',
);
export const SS_ERR_CHATLOG_NOT_FOUND = defineError(
  'SS_ERR_CHATLOG_NOT_FOUND',
  (path: string, reason: string) => `no chat log at ${path}: ${reason}`,
  'Pass .jsonl files written by the chatlog plugin, or folders holding them (dataDir/chatlog/<creator>/).',
);
export const SS_ERR_CHATLOG_NO_SALT = defineError(
  'SS_ERR_CHATLOG_NO_SALT',
  (creatorId: string) => `creator "${creatorId}" asks for hashed user ids, but plugins.chatlog.config.hashSalt is not set`,
  'Set "hashSalt": "${env:STREAMSUITES_CHATLOG_SALT}" (a long random secret) in plugins.chatlog.config.',
);
