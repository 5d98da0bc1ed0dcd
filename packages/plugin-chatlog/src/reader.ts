import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SS_ERR_CHATLOG_NOT_FOUND, SS_ERR_CHATLOG_VERSION } from './errors.js';
import { CHATLOG_SCHEMA, CHATLOG_VERSION, parseFileName, type ChatLogEntry } from './format.js';

/** A line that was skipped, with where it is. */
export interface ChatLogProblem {
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
}

/** A logged event as read back. */
export interface LoggedEvent extends ChatLogEntry {
  creator: string;
  file: string;
  line: number;
}

export interface ChatLogFile {
  path: string;
  creator: string;
}

/**
 * Expands files and folders into chat log files (folders recursively, only
 * `<day>[.<part>].jsonl` names), reads every header and checks the format
 * version. Throws SS_ERR_CHATLOG_NOT_FOUND for a missing path or when
 * nothing is found, SS_ERR_CHATLOG_VERSION for a file of another format.
 */
export async function openChatLogs(paths: readonly string[]): Promise<ChatLogFile[]> {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      throw new SS_ERR_CHATLOG_NOT_FOUND(absolute, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : String(error));
    }
    if (info.isDirectory()) files.push(...(await logsUnder(absolute)));
    else files.push(absolute);
  }
  if (files.length === 0) throw new SS_ERR_CHATLOG_NOT_FOUND(paths.join(', '), 'no .jsonl log files there');
  const unique = [...new Set(files)];
  return Promise.all(unique.map(async (path) => ({ path, creator: (await readHeader(path)).creator })));
}

async function logsUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await logsUnder(path)));
    else if (entry.isFile() && parseFileName(entry.name) !== undefined) out.push(path);
  }
  return out;
}

async function readHeader(path: string): Promise<{ creator: string }> {
  let first: string | undefined;
  for await (const { text } of lines(path)) {
    first = text;
    break;
  }
  let header: unknown;
  try {
    header = JSON.parse(first ?? '');
  } catch {
    throw new SS_ERR_CHATLOG_VERSION(path, first === undefined || first === '' ? 'the file is empty' : 'the first line is not a chat log header');
  }
  const h = header as { schema?: unknown; version?: unknown; creator?: unknown };
  if (typeof header !== 'object' || header === null || h.schema !== CHATLOG_SCHEMA) {
    throw new SS_ERR_CHATLOG_VERSION(path, `schema ${JSON.stringify(h?.schema ?? null)}, expected "${CHATLOG_SCHEMA}"`);
  }
  if (h.version !== CHATLOG_VERSION) throw new SS_ERR_CHATLOG_VERSION(path, `version ${JSON.stringify(h.version)}, this reader knows version ${CHATLOG_VERSION}`);
  if (typeof h.creator !== 'string' || h.creator.length === 0) throw new SS_ERR_CHATLOG_VERSION(path, 'the header names no creator');
  return { creator: h.creator };
}

/** Lines of a file with their numbers; `last` marks an unterminated final line. */
async function* lines(path: string): AsyncGenerator<{ text: string; line: number; unterminated: boolean }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      line += 1;
      yield { text: text.charCodeAt(newline - 1) === 13 ? text.slice(start, newline - 1) : text.slice(start, newline), line, unterminated: false };
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest.length > 0) yield { text: rest, line: line + 1, unterminated: true };
}

/** The events of one file, in file order; bad lines go to `onProblem` and are skipped. */
export async function* readChatLog(file: ChatLogFile, onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent> {
  for await (const { text, line, unterminated } of lines(file.path)) {
    if (line === 1 || text.length === 0) continue; // header (checked by openChatLogs), blank lines
    const problem = (reason: string) => onProblem({ file: file.path, line, reason: unterminated ? `truncated last line (${reason})` : reason });
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problem('not valid JSON');
      continue;
    }
    const entry = value as Partial<ChatLogEntry> | null;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problem('not a JSON object');
    } else if (typeof entry.at !== 'number' || !Number.isFinite(entry.at)) {
      problem('"at" is not a time');
    } else if (typeof entry.event !== 'string' || entry.event.length === 0) {
      problem('"event" is missing');
    } else if (typeof entry.data !== 'object' || entry.data === null || Array.isArray(entry.data)) {
      problem('"data" is not an object');
    } else if (entry.data.creatorId !== file.creator) {
      problem(`the event belongs to creator ${JSON.stringify(entry.data.creatorId)}, the file to "${file.creator}"`);
    } else {
      yield { at: entry.at, event: entry.event, data: entry.data, creator: file.creator, file: file.path, line };
    }
  }
}

/**
 * Every event of the given files in time order: each creator's files are
 * read one after another (by name: day, then part), and the creators'
 * streams are merged by `at` (ties keep the order the files were given in).
 */
export async function* mergeChatLogs(files: readonly ChatLogFile[], onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent> {
  const byCreator = new Map<string, ChatLogFile[]>();
  for (const file of files) byCreator.set(file.creator, [...(byCreator.get(file.creator) ?? []), file]);
  const streams = [...byCreator.values()].map((list) => chain(list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), onProblem));
  const heads: (LoggedEvent | undefined)[] = await Promise.all(streams.map(async (s) => (await s.next()).value ?? undefined));
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head !== undefined && (pick === -1 || head.at < heads[pick]!.at)) pick = i;
    }
    if (pick === -1) return;
    yield heads[pick]!;
    heads[pick] = (await streams[pick]!.next()).value ?? undefined;
  }
}

async function* chain(files: readonly ChatLogFile[], onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent, undefined> {
  for (const file of files) yield* readChatLog(file, onProblem);
  return undefined;
}
