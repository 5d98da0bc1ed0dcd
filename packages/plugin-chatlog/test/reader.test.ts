import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { ChatLogWriter, mergeChatLogs, openChatLogs, readChatLog, type ChatLogProblem } from '../src/index.js';
import { message, tempDir } from './helpers.js';

const header = (creator: string) => `${JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator })}\n`;
const entry = (creator: string, at: number, text: string) => `${JSON.stringify({ at, event: 'chat.message', data: message(creator, text, 'anna', at) })}\n`;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('reading chat logs', () => {
  it('merges creators by time, reads each creator\'s days in order, and reports bad lines with their numbers', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'alice'));
    mkdirSync(join(root, 'bob'));
    writeFileSync(join(root, 'alice', '2026-11-27.jsonl'), header('alice') + entry('alice', 10, 'a1') + '{"at": 11, "event": "chat.mess\n' + entry('alice', 30, 'a3'));
    writeFileSync(join(root, 'alice', '2026-11-28.jsonl'), header('alice') + entry('alice', 50, 'a5') + '[1,2]\n' + entry('bob', 55, 'wrong file') + '\n' + entry('alice', 60, 'a6') + '{"at":70,"event":"chat.message","da');
    writeFileSync(join(root, 'bob', '2026-11-27.jsonl'), header('bob') + entry('bob', 20, 'b2') + '{"at":"soon","event":"chat.message","data":{}}\n' + entry('bob', 40, 'b4'));
    writeFileSync(join(root, 'bob', 'notes.txt'), 'not a log');
    const problems: ChatLogProblem[] = [];
    const files = await openChatLogs([root]);
    expect(files.map((f) => [f.path.slice(root.length), f.creator])).toEqual([
      ['/alice/2026-11-27.jsonl', 'alice'],
      ['/alice/2026-11-28.jsonl', 'alice'],
      ['/bob/2026-11-27.jsonl', 'bob'],
    ]);
    const events = await collect(mergeChatLogs(files, (p) => problems.push(p)));
    expect(events.map((e) => e.data.text)).toEqual(['a1', 'b2', 'a3', 'b4', 'a5', 'a6']);
    expect(problems.map((p) => [p.file.slice(root.length), p.line, p.reason])).toEqual([
      ['/alice/2026-11-27.jsonl', 3, 'not valid JSON'],
      ['/bob/2026-11-27.jsonl', 3, '"at" is not a time'],
      ['/alice/2026-11-28.jsonl', 3, 'not a JSON object'],
      ['/alice/2026-11-28.jsonl', 4, 'the event belongs to creator "bob", the file to "alice"'],
      ['/alice/2026-11-28.jsonl', 7, 'truncated last line (not valid JSON)'],
    ]);
  });

  it('reads lines across chunk boundaries exactly: multi-byte characters, CRLF, blank lines, a line longer than a chunk, an unterminated last line', async () => {
    const root = tempDir();
    const texts = Array.from({ length: 6000 }, (_, i) => (i === 1234 ? `longer than a chunk ${'ß€😀'.repeat(150_000)}` : `${i} ${'héllo wörld 日本語 😀 '.repeat(i % 7)}end`));
    const lines = texts.map((text, i) => entry('alice', i, text).slice(0, -1) + (i % 5 === 0 ? '\r\n' : i % 11 === 0 ? '\n\n' : '\n'));
    const body = header('alice') + lines.join('') + '{"at":9999,"event":"chat.message","da';
    const path = join(root, '2026-11-27.jsonl');
    writeFileSync(path, body);
    expect(Buffer.byteLength(body)).toBeGreaterThan(3 << 20); // several chunks, one line longer than a chunk
    const problems: ChatLogProblem[] = [];
    const events = await collect(readChatLog({ path, creator: 'alice' }, (p) => problems.push(p)));
    expect(events.map((e) => e.data.text)).toEqual(texts);
    // Line numbers count every line, blank ones included, as an editor shows them.
    const expectedLines: number[] = [];
    let line = 1;
    for (let i = 0; i < texts.length; i++) {
      line += 1;
      expectedLines.push(line);
      if (i % 5 !== 0 && i % 11 === 0) line += 1;
    }
    expect(events.map((e) => e.line)).toEqual(expectedLines);
    expect(problems).toEqual([{ file: path, line: line + 1, reason: 'truncated last line (not valid JSON)' }]);
    // The same through the merge, with a single creator's files passed through as they are.
    expect((await collect(mergeChatLogs(await openChatLogs([path]), () => {}))).map((e) => e.at)).toEqual(texts.map((_, i) => i));
  });

  it('refuses files of another format or version with SS_ERR_CHATLOG_VERSION, and missing paths with SS_ERR_CHATLOG_NOT_FOUND', async () => {
    const root = tempDir();
    writeFileSync(join(root, '2026-11-27.jsonl'), `${JSON.stringify({ schema: 'streamsuites.chatlog', version: 2, creator: 'alice' })}\n`);
    await expect(openChatLogs([join(root, '2026-11-27.jsonl')])).rejects.toMatchObject({ code: 'SS_ERR_CHATLOG_VERSION', message: expect.stringContaining('version 2') });
    writeFileSync(join(root, '2026-11-28.jsonl'), '{"hello":1}\n');
    await expect(openChatLogs([join(root, '2026-11-28.jsonl')])).rejects.toMatchObject({ code: 'SS_ERR_CHATLOG_VERSION' });
    writeFileSync(join(root, '2026-11-29.jsonl'), '');
    await expect(openChatLogs([join(root, '2026-11-29.jsonl')])).rejects.toMatchObject({ code: 'SS_ERR_CHATLOG_VERSION', message: expect.stringContaining('empty') });
    await expect(openChatLogs([join(root, 'nope')])).rejects.toMatchObject({ code: 'SS_ERR_CHATLOG_NOT_FOUND' });
    const empty = tempDir();
    await expect(openChatLogs([empty])).rejects.toMatchObject({ code: 'SS_ERR_CHATLOG_NOT_FOUND' });
  });
});

describe('the writer under failure', () => {
  const logger = createLogger({ level: 'silent' });
  const writerFor = (dir: string) =>
    new ChatLogWriter({ dir, creator: 'alice', maxBufferedEvents: 1000, maxFileBytes: 1 << 20, serialize: (e) => JSON.stringify(e), logger });

  it('after a crash mid-line, appending starts on a fresh line and the reader skips only the broken one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '2026-11-27.jsonl'), header('alice') + entry('alice', 1, 'before') + '{"at":2,"event":"chat.me');
    const writer = writerFor(dir);
    writer.push({ at: Date.UTC(2026, 10, 27, 5), event: 'chat.message', data: message('alice', 'after') as never });
    await writer.close();
    const problems: ChatLogProblem[] = [];
    const [file] = await openChatLogs([dir]);
    const events = await collect(readChatLog(file!, (p) => problems.push(p)));
    expect(events.map((e) => e.data.text)).toEqual(['before', 'after']);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([[3, 'not valid JSON']]);
  });

  it('keeps lines it could not write and writes them once the disk is back', async () => {
    const root = tempDir();
    const dir = join(root, 'alice');
    writeFileSync(dir, 'a file where the folder should be');
    const writer = writerFor(dir);
    const at = Date.UTC(2026, 10, 27, 5);
    writer.push({ at, event: 'chat.message', data: message('alice', 'one') as never });
    await writer.flush();
    expect(writer.stats).toEqual({ written: 0, dropped: 0, buffered: 1 });
    rmSync(dir);
    writer.push({ at, event: 'chat.message', data: message('alice', 'two') as never });
    await writer.close();
    expect(writer.stats).toEqual({ written: 2, dropped: 0, buffered: 0 });
    const texts = readFileSync(join(dir, '2026-11-27.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l).data.text);
    expect(texts).toEqual(['one', 'two']);
    expect(writer.push({ at, event: 'chat.message', data: message('alice', 'late') as never })).toBe(false);
  });
});
