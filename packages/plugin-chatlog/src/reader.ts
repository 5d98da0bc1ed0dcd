import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
  const first = await firstLine(path);
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

/** The first line of a file (without CR), read a little at a time: opening a folder of logs reads only their headers. */
async function firstLine(path: string): Promise<string | undefined> {
  const parts: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 14 }) as AsyncIterable<Buffer>) {
    const newline = chunk.indexOf(LF);
    if (newline === -1) {
      parts.push(chunk);
      continue;
    }
    parts.push(chunk.subarray(0, newline));
    break;
  }
  if (parts.length === 0) return undefined;
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  return bytes.toString('utf8', 0, bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length);
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Consecutive lines of a file: `texts[i]` is line `first + i` (without its
 * LF or CRLF); `unterminated` marks a final line without LF.
 */
interface LineBatch {
  texts: string[];
  first: number;
  unterminated: boolean;
}

/** Bytes read at a time (off the JS heap: a large read costs the garbage collector nothing). */
const CHUNK_BYTES = 1 << 20;

/**
 * Lines decoded at a time. Few enough that the events read ahead of a replay
 * die young (a megabyte of lines, ~2,500 events per creator waiting, kept the
 * garbage collector copying them); enough that a batch costs nothing next to
 * parsing its lines.
 */
const BATCH_LINES = 256;

/**
 * The lines of a file, a batch at a time. Each line is decoded from its own
 * bytes: a chunk decoded whole becomes a two-byte string as soon as one
 * character in it is not ASCII, and every line cut from it is then slower to
 * parse; decoding line by line keeps ASCII lines one-byte strings (and a
 * character split between chunks is never cut, since lines are not).
 */
async function* lineBatches(path: string): AsyncGenerator<LineBatch> {
  let rest: Buffer | undefined;
  let line = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    let texts: string[] = [];
    let from = 0;
    let newline = chunk.indexOf(LF);
    if (rest !== undefined) {
      // The line that began in an earlier chunk.
      if (newline === -1) {
        rest = Buffer.concat([rest, chunk]);
        continue;
      }
      const joined = Buffer.concat([rest, chunk.subarray(0, newline)]);
      texts.push(joined.toString('utf8', 0, joined.length > 0 && joined[joined.length - 1] === CR ? joined.length - 1 : joined.length));
      rest = undefined;
      from = newline + 1;
      newline = chunk.indexOf(LF, from);
    }
    while (newline !== -1) {
      texts.push(chunk.toString('utf8', from, newline > from && chunk[newline - 1] === CR ? newline - 1 : newline));
      from = newline + 1;
      newline = chunk.indexOf(LF, from);
      if (texts.length === BATCH_LINES) {
        yield { texts, first: line + 1, unterminated: false };
        line += BATCH_LINES;
        texts = [];
      }
    }
    if (from < chunk.length) rest = chunk.subarray(from);
    if (texts.length > 0) yield { texts, first: line + 1, unterminated: false };
    line += texts.length;
  }
  if (rest !== undefined && rest.length > 0) yield { texts: [rest.toString('utf8')], first: line + 1, unterminated: true };
}

/** The events of one file in file order, a chunk at a time; bad lines go to `onProblem` and are skipped. */
export async function* readChatLogBatches(file: ChatLogFile, onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent[]> {
  for await (const { texts, first, unterminated } of lineBatches(file.path)) {
    const events: LoggedEvent[] = [];
    const last = texts.length - 1;
    for (let i = 0; i <= last; i++) {
      const text = texts[i]!;
      const line = first + i;
      if (line === 1 || text.length === 0) continue; // header (checked by openChatLogs), blank lines
      const event = parseLine(file, text, line, unterminated && i === last, onProblem);
      if (event !== undefined) events.push(event);
    }
    if (events.length > 0) yield events;
  }
}

/** The events of one file, in file order; bad lines go to `onProblem` and are skipped. */
export async function* readChatLog(file: ChatLogFile, onProblem: (problem: ChatLogProblem) => void): AsyncGenerator<LoggedEvent> {
  for await (const batch of readChatLogBatches(file, onProblem)) yield* batch;
}

/** One event line, checked (a handful of type tests, no schema walk); undefined when it is reported as a problem. */
function parseLine(file: ChatLogFile, text: string, line: number, unterminated: boolean, onProblem: (problem: ChatLogProblem) => void): LoggedEvent | undefined {
  let entry: Partial<ChatLogEntry> | null;
  try {
    entry = JSON.parse(text) as Partial<ChatLogEntry> | null;
  } catch {
    return problem(onProblem, file, line, unterminated, 'not valid JSON');
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return problem(onProblem, file, line, unterminated, 'not a JSON object');
  const { at, event, data } = entry;
  if (typeof at !== 'number' || !Number.isFinite(at)) return problem(onProblem, file, line, unterminated, '"at" is not a time');
  if (typeof event !== 'string' || event.length === 0) return problem(onProblem, file, line, unterminated, '"event" is missing');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return problem(onProblem, file, line, unterminated, '"data" is not an object');
  if (data.creatorId !== file.creator) {
    return problem(onProblem, file, line, unterminated, `the event belongs to creator ${JSON.stringify(data.creatorId)}, the file to "${file.creator}"`);
  }
  return { at, event, data, creator: file.creator, file: file.path, line };
}

function problem(onProblem: (problem: ChatLogProblem) => void, file: ChatLogFile, line: number, unterminated: boolean, reason: string): undefined {
  onProblem({ file: file.path, line, reason: unterminated ? `truncated last line (${reason})` : reason });
  return undefined;
}

/** Up to this many merged events per batch (small, for the same reason as BATCH_LINES). */
const MERGED_BATCH = 512;

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
    if (out.length === 0) {
      // One stream left: its batches go out as they are (nothing to merge them with).
      let open = -1;
      for (let i = 0; i < buffers.length; i++) {
        if (buffers[i] === undefined) continue;
        open = open === -1 ? i : -2;
      }
      if (open >= 0) {
        while (buffers[open] !== undefined) {
          const buffer = buffers[open]!;
          yield positions[open] === 0 ? buffer : buffer.slice(positions[open]);
          await refill(open);
        }
        break;
      }
    }
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
