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

interface Line {
  text: string;
  line: number;
  unterminated: boolean;
}

/** Lines of a file with their numbers, a chunk (up to 1 MiB) at a time; `unterminated` marks a final line without LF. */
async function* lineBatches(path: string): AsyncGenerator<Line[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const text = rest + decoder.write(chunk as Buffer);
    const batch: Line[] = [];
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      line += 1;
      batch.push({ text: text.charCodeAt(newline - 1) === 13 ? text.slice(start, newline - 1) : text.slice(start, newline), line, unterminated: false });
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  rest += decoder.end();
  if (rest.length > 0) yield [{ text: rest, line: line + 1, unterminated: true }];
}

async function* lines(path: string): AsyncGenerator<Line> {
  for await (const batch of lineBatches(path)) yield* batch;
}

/** The events of one file in file order, a chunk at a time; bad lines go to `onProblem` and are skipped. */
export async function* readChatLogBatches(file: ChatLogFile, onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent[]> {
  for await (const batch of lineBatches(file.path)) {
    const events: LoggedEvent[] = [];
    for (const { text, line, unterminated } of batch) {
      if (line === 1 || text.length === 0) continue; // header (checked by openChatLogs), blank lines
      const event = parseLine(file, text, line, unterminated, onProblem);
      if (event !== undefined) events.push(event);
    }
    if (events.length > 0) yield events;
  }
}

/** The events of one file, in file order; bad lines go to `onProblem` and are skipped. */
export async function* readChatLog(file: ChatLogFile, onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent> {
  for await (const batch of readChatLogBatches(file, onProblem)) yield* batch;
}

function parseLine(file: ChatLogFile, text: string, line: number, unterminated: boolean, onProblem: (problem: ChatLogProblem) => void): LoggedEvent | undefined {
  const problem = (reason: string) => {
    onProblem({ file: file.path, line, reason: unterminated ? `truncated last line (${reason})` : reason });
    return undefined;
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return problem('not valid JSON');
  }
  const entry = value as Partial<ChatLogEntry> | null;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return problem('not a JSON object');
  if (typeof entry.at !== 'number' || !Number.isFinite(entry.at)) return problem('"at" is not a time');
  if (typeof entry.event !== 'string' || entry.event.length === 0) return problem('"event" is missing');
  if (typeof entry.data !== 'object' || entry.data === null || Array.isArray(entry.data)) return problem('"data" is not an object');
  if (entry.data.creatorId !== file.creator) return problem(`the event belongs to creator ${JSON.stringify(entry.data.creatorId)}, the file to "${file.creator}"`);
  return { at: entry.at, event: entry.event, data: entry.data, creator: file.creator, file: file.path, line };
}

/** Up to this many merged events per batch. */
const MERGED_BATCH = 4096;

/**
 * Every event of the given files in time order, in batches: each creator's
 * files are read one after another (by name: day, then part), and the
 * creators' streams are merged by `at` (ties keep the order the files were
 * given in). Streaming: memory does not grow with the size of the logs.
 */
export async function* mergeChatLogBatches(files: readonly ChatLogFile[], onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent[]> {
  const byCreator = new Map<string, ChatLogFile[]>();
  for (const file of files) byCreator.set(file.creator, [...(byCreator.get(file.creator) ?? []), file]);
  const streams = [...byCreator.values()].map((list) => chain(list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), onProblem));
  const buffers: (LoggedEvent[] | undefined)[] = [];
  const positions: number[] = [];
  // Each stream reads its next batch while the current one is merged, so the merge rarely waits for the disk.
  const ahead = streams.map((stream) => stream.next());
  const refill = async (i: number) => {
    const next = await ahead[i]!;
    buffers[i] = next.done === true ? undefined : next.value;
    positions[i] = 0;
    if (next.done !== true) ahead[i] = streams[i]!.next();
  };
  await Promise.all(streams.map((_, i) => refill(i)));
  let out: LoggedEvent[] = [];
  for (;;) {
    let pick = -1;
    let pickAt = 0;
    for (let i = 0; i < buffers.length; i++) {
      const buffer = buffers[i];
      if (buffer === undefined) continue;
      const at = buffer[positions[i]!]!.at;
      if (pick === -1 || at < pickAt) {
        pick = i;
        pickAt = at;
      }
    }
    if (pick === -1) break;
    out.push(buffers[pick]![positions[pick]!]!);
    positions[pick]! += 1;
    if (positions[pick]! >= buffers[pick]!.length) await refill(pick);
    if (out.length >= MERGED_BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** {@link mergeChatLogBatches}, one event at a time. */
export async function* mergeChatLogs(files: readonly ChatLogFile[], onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent> {
  for await (const batch of mergeChatLogBatches(files, onProblem)) yield* batch;
}

async function* chain(files: readonly ChatLogFile[], onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent[], undefined> {
  for (const file of files) yield* readChatLogBatches(file, onProblem);
  return undefined;
}
