import { mkdir, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@streamsuites/kernel';
import { dayOf, fileName, headerLine, parseFileName, type ChatLogEntry } from './format.js';

export interface ChatLogWriterOptions {
  /** The creator's folder (`<dataDir>/chatlog/<creator>`). */
  dir: string;
  creator: string;
  maxBufferedEvents: number;
  maxFileBytes: number;
  /** Turns an entry into its line (hashing, redaction, JSON), at flush time — off the hot path. */
  serialize(entry: ChatLogEntry): string;
  logger: Logger;
}

interface OpenFile {
  day: string;
  part: number;
  handle: FileHandle;
  bytes: number;
}

/**
 * One creator's append-only log. `push` only stores a reference (the bus
 * listener stays cheap); `flush` serializes and appends in one write per
 * file. The buffer is bounded: past `maxBufferedEvents` new events are
 * dropped and counted, so a stalled disk never grows memory without end.
 * Lines that could not be written stay queued for the next flush.
 */
export class ChatLogWriter {
  readonly #options: ChatLogWriterOptions;
  #buffer: ChatLogEntry[] = [];
  /** Serialized lines waiting for a write that failed. */
  #unwritten: { day: string; line: string }[] = [];
  #file: OpenFile | undefined;
  #chain: Promise<void> = Promise.resolve();
  #dropped = 0;
  #written = 0;
  #closed = false;

  constructor(options: ChatLogWriterOptions) {
    this.#options = options;
  }

  /** Queues an event; false when it was dropped because the buffer is full or the writer closed. */
  push(entry: ChatLogEntry): boolean {
    if (this.#closed || this.#buffer.length + this.#unwritten.length >= this.#options.maxBufferedEvents) {
      this.#dropped += 1;
      return false;
    }
    this.#buffer.push(entry);
    return true;
  }

  get stats(): { written: number; dropped: number; buffered: number } {
    return { written: this.#written, dropped: this.#dropped, buffered: this.#buffer.length + this.#unwritten.length };
  }

  /** Writes everything queued so far. Never rejects: failures are logged and the lines kept. */
  flush(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#flush());
    return this.#chain;
  }

  /** Flushes, syncs and closes the file; later pushes are dropped. */
  close(): Promise<void> {
    this.#closed = true;
    this.#chain = this.#chain.then(async () => {
      await this.#flush();
      await this.#closeFile(true);
    });
    return this.#chain;
  }

  async #flush(): Promise<void> {
    const entries = this.#buffer;
    this.#buffer = [];
    const lines = this.#unwritten;
    this.#unwritten = [];
    for (const entry of entries) {
      try {
        lines.push({ day: dayOf(entry.at), line: this.#options.serialize(entry) });
      } catch (error) {
        this.#dropped += 1;
        this.#options.logger.warn({ err: error, event: entry.event }, 'chat log: an event could not be serialized; skipped');
      }
    }
    let start = 0;
    while (start < lines.length) {
      // One write per run of lines that go to the same file.
      const day = lines[start]!.day;
      let end = start;
      let chunk = '';
      try {
        const file = await this.#fileFor(day);
        let budget = this.#options.maxFileBytes - file.bytes;
        while (end < lines.length && lines[end]!.day === day) {
          const size = Buffer.byteLength(lines[end]!.line) + 1;
          if (chunk.length > 0 && size > budget) break;
          chunk += `${lines[end]!.line}\n`;
          budget -= size;
          end += 1;
        }
        await file.handle.write(chunk);
        file.bytes += Buffer.byteLength(chunk);
        this.#written += end - start;
        if (end < lines.length && lines[end]!.day === day) await this.#roll();
        start = end;
      } catch (error) {
        this.#unwritten = lines.slice(start);
        this.#options.logger.error({ err: error, waiting: this.#unwritten.length }, 'chat log: writing failed; will retry at the next flush');
        await this.#closeFile(false);
        return;
      }
    }
  }

  /** The open file for `day`, opening the newest part of that day (or a new one). */
  async #fileFor(day: string): Promise<OpenFile> {
    if (this.#file !== undefined && this.#file.day === day) return this.#file;
    await this.#closeFile(false);
    await mkdir(this.#options.dir, { recursive: true });
    let part = 0;
    for (const name of await readdir(this.#options.dir)) {
      const parsed = parseFileName(name);
      if (parsed !== undefined && parsed.day === day && parsed.part > part) part = parsed.part;
    }
    this.#file = await this.#open(day, part);
    if (this.#file.bytes >= this.#options.maxFileBytes) await this.#roll();
    return this.#file!;
  }

  /** Closes the current file and starts the next part of its day. */
  async #roll(): Promise<void> {
    const current = this.#file!;
    await this.#closeFile(false);
    this.#file = await this.#open(current.day, current.part + 1);
  }

  async #open(day: string, part: number): Promise<OpenFile> {
    const path = join(this.#options.dir, fileName(day, part));
    const handle = await open(path, 'a+');
    try {
      let bytes = (await stat(path)).size;
      if (bytes === 0) {
        const header = headerLine(this.#options.creator);
        await handle.write(header);
        bytes = Buffer.byteLength(header);
      } else {
        // A crash mid-write leaves a partial last line: end it, so the next line stays whole (the reader reports the broken one).
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, bytes - 1);
        if (last[0] !== 0x0a) {
          await handle.write('\n');
          bytes += 1;
        }
      }
      return { day, part, handle, bytes };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  async #closeFile(sync: boolean): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (file === undefined) return;
    try {
      if (sync) await file.handle.sync();
    } finally {
      await file.handle.close().catch(() => undefined);
    }
  }
}
