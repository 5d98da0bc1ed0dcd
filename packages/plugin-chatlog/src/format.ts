/**
 * The chat log format, version 1: JSON Lines, one file per creator per UTC
 * day (`<dir>/<creator>/<YYYY-MM-DD>.jsonl`, then `<YYYY-MM-DD>.1.jsonl` ...
 * when a day's file is full). The first line of every file is a header;
 * every other line is one event:
 *
 *   {"schema":"streamsuites.chatlog","version":1,"creator":"daniel"}
 *   {"at":1795766400000,"event":"chat.message","data":{...the bus payload...}}
 *
 * `at` is the kernel clock when the event was on the bus (epoch ms).
 */
export const CHATLOG_SCHEMA = 'streamsuites.chatlog';
export const CHATLOG_VERSION = 1;

export interface ChatLogHeader {
  schema: typeof CHATLOG_SCHEMA;
  version: number;
  creator: string;
}

/** One logged event. */
export interface ChatLogEntry {
  at: number;
  event: string;
  data: Record<string, unknown>;
}

export function headerLine(creator: string): string {
  return `${JSON.stringify({ schema: CHATLOG_SCHEMA, version: CHATLOG_VERSION, creator })}\n`;
}

/** `2026-11-27` (UTC) for an epoch-ms time. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** `2026-11-27.jsonl`, `2026-11-27.1.jsonl` ... */
export function fileName(day: string, part: number): string {
  return part === 0 ? `${day}.jsonl` : `${day}.${part}.jsonl`;
}

const FILE_NAME = /^(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.jsonl$/;

/** The day and part of a log file name, or undefined for other files. */
export function parseFileName(name: string): { day: string; part: number } | undefined {
  const match = FILE_NAME.exec(name);
  return match === null ? undefined : { day: match[1]!, part: match[2] === undefined ? 0 : Number(match[2]) };
}

/** Creator ids become folder names: the manifest allows only these characters, checked again here. */
export function isSafeSegment(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(value);
}
