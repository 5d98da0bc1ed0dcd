import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chatMessage, createTempDirs } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../src/index.js';
import { createProgress } from '../src/index.js';

const temp = createTempDirs('ss-progress-');
afterEach(() => temp.removeAll());

/** A sink that records each write, as a terminal (isTTY + columns) or as a pipe. */
function sink(tty?: { columns: number }) {
  const writes: string[] = [];
  return { writes, write: (text: string) => void writes.push(text), ...(tty === undefined ? {} : { isTTY: true, columns: tty.columns }) };
}

/** What a terminal shows of one redraw: the text after `\r`, without the clear-line code. */
const visible = (write: string) => write.replace(/^\r/, '').replace('\x1b[K', '').replace(/\n$/, '');

describe('createProgress on a terminal', () => {
  it('redraws one line in place, cut to the width, at most once per interval; done() ends the line', () => {
    let now = 0;
    const out = sink({ columns: 60 });
    const bar = createProgress(out, { label: 'replay', total: 1000, unit: 'lines', intervalMs: 100, now: () => now });
    bar.tick(1, 'alice/2026-12-01.jsonl');
    now = 50;
    for (let i = 0; i < 200; i++) bar.tick(1, 'alice/2026-12-01.jsonl'); // within the interval: no redraw
    expect(out.writes).toHaveLength(1);
    now = 150;
    bar.tick(299, 'bob/2026-12-01.jsonl');
    expect(out.writes).toHaveLength(2);
    for (const write of out.writes) {
      expect(write.startsWith('\r') && write.endsWith('\x1b[K')).toBe(true);
      expect(write).not.toContain('\n');
      expect(visible(write).length).toBeLessThanOrEqual(59);
    }
    expect(visible(out.writes[1]!)).toMatch(/^replay \[#{7,8}-{7,8}\]  50% 500\/1000 lines bob\/.*…$/);
    now = 2150;
    bar.done();
    const last = out.writes.at(-1)!;
    expect(last.endsWith('\x1b[K\n')).toBe(true);
    expect(visible(last)).toMatch(/^replay \[#+-+\]  50% 500\/1000 lines done in 2\.1/);
    bar.done();
    bar.tick();
    expect(out.writes).toHaveLength(3);
  });

  it('uses the width it has: a wide terminal gets the full bar and the file, a narrow one a cut line', () => {
    const wide = sink({ columns: 120 });
    const full = createProgress(wide, { label: 'publish-state', total: 4, unit: 'files' });
    full.tick(4, 'runtime/exports/clips.json');
    expect(visible(wide.writes[0]!)).toBe(`publish-state [${'#'.repeat(30)}] 100% 4/4 files runtime/exports/clips.json`);
    const narrow = sink({ columns: 20 });
    createProgress(narrow, { label: 'publish-state', total: 4, unit: 'files' }).tick(1, 'runtime/exports/clips.json');
    expect(visible(narrow.writes[0]!)).toHaveLength(19);
    expect(visible(narrow.writes[0]!)).toMatch(/^publish-state .*…$/);
  });

  it('note() clears the bar line, prints the message on its own line, and redraws the bar', () => {
    const out = sink({ columns: 80 });
    const bar = createProgress(out, { label: 'replay', total: 10, unit: 'lines' });
    bar.tick(3);
    bar.note('warning: a.jsonl:3: not valid JSON (line skipped)\n');
    expect(out.writes.slice(1)).toEqual(['\r\x1b[Kwarning: a.jsonl:3: not valid JSON (line skipped)\n', expect.stringMatching(/^\rreplay \[#+-+\]  30% 3\/10 lines\x1b\[K$/)]);
  });

  it('counts without a bar when the total is unknown', () => {
    const out = sink({ columns: 80 });
    const bar = createProgress(out, { label: 'replay', unit: 'events' });
    bar.tick(42);
    expect(visible(out.writes[0]!)).toBe('replay 42 events');
  });
});

describe('createProgress off a terminal', () => {
  it('prints a plain line at every tenth of the total and one at the end, never a carriage return', () => {
    const out = sink();
    const bar = createProgress(out, { label: 'publish-state', total: 1000, unit: 'files' });
    for (let i = 1; i <= 1000; i++) bar.tick(1, `f${i}.json`);
    bar.done('published 1000 file(s)');
    expect(out.writes).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `publish-state: ${(i + 1) * 10}% (${(i + 1) * 100}/1000 files) f${(i + 1) * 100}.json\n`),
      'publish-state: 100% (1000/1000 files) published 1000 file(s)\n',
    ]);
  });

  it('with an unknown total, a line every `every` units; note() is a plain line', () => {
    const out = sink();
    const bar = createProgress(out, { label: 'replay', unit: 'events', every: 100 });
    bar.tick(250);
    bar.note('warning: x');
    bar.tick(50);
    expect(out.writes).toEqual(['replay: 250 events\n', 'warning: x\n', 'replay: 300 events\n']);
  });

  it('takes a Node stream as its sink (process.stderr off a terminal is one)', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => void (text += chunk.toString()));
    const bar = createProgress(stream, { label: 'pack', total: 2, unit: 'packages' });
    bar.tick(1, 'kernel');
    bar.tick(1, 'cli');
    expect(text).toBe('pack: 50% (1/2 packages) kernel\npack: 100% (2/2 packages) cli\n');
  });

  it('stays silent for work under quietBelow (a short job prints what it printed before)', () => {
    const out = sink();
    const bar = createProgress(out, { label: 'replay', total: 9, unit: 'lines', quietBelow: 10 });
    bar.tick(9);
    bar.done();
    expect(out.writes).toEqual([]);
    const tty = sink({ columns: 80 });
    createProgress(tty, { label: 'replay', total: 9, unit: 'lines', quietBelow: 10 }).tick(9);
    expect(tty.writes).toHaveLength(1); // a terminal always shows the bar
  });
});

/** A chat log of `events` messages for creator alice, one every second, with a corrupt line at line `corruptAt`. */
function chatLog(dir: string, events: number, corruptAt?: number): string {
  const folder = join(dir, 'chatlog', 'alice');
  mkdirSync(folder, { recursive: true });
  const start = Date.UTC(2026, 11, 1, 20);
  const lines = [JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator: 'alice' })];
  for (let i = 0; i < events; i++) {
    const at = start + i * 1000;
    lines.push(JSON.stringify({ at, event: 'chat.message', data: chatMessage({ id: `m${i}`, creatorId: 'alice', channel: 'alice', text: i % 10 === 0 ? '!hello' : `message ${i}`, receivedAt: at, sentAt: at }) }));
    if (lines.length + 1 === corruptAt) lines.push('{ not json');
  }
  writeFileSync(join(folder, '2026-12-01.jsonl'), `${lines.join('\n')}\n`);
  const manifest = { creators: { alice: { enable: [], triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }] }] } } };
  writeFileSync(join(dir, 'streamsuites.json'), JSON.stringify(manifest));
  return dir;
}

async function run(argv: string[], cwd: string, tty?: { columns: number }) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd, ...(tty === undefined ? {} : { stderrTTY: tty }) };
  return { code: await main(argv, io), stdout: () => stdout, stderr: () => stderr };
}

describe('progress of long CLI work', () => {
  it('replay off a terminal: a line per tenth of the log\'s lines on stderr; the summary on stdout is unchanged', async () => {
    const dir = chatLog(temp.make(), 10_500);
    const result = await run(['replay', 'chatlog', '--manifest', 'streamsuites.json', '--out', 'out'], dir);
    expect(result.code, result.stderr()).toBe(0);
    const lines = result.stderr().split('\n').filter((l) => l !== '');
    expect(lines.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `replay: ${(i + 1) * 10}% (${(i + 1) * 1050}/10500 lines) chatlog/alice/2026-12-01.jsonl`));
    expect(lines[10]).toMatch(/^replay: 100% \(10500\/10500 lines\) done in \d+\.\d s$/);
    expect(lines).toHaveLength(11);
    expect(result.stderr()).not.toContain('\r');
    expect(result.stdout()).toMatch(/^replay finished: 10500 events \(alice=10500\)/);
  });

  it('replay on a terminal: one redrawn bar line, a warning on its own line above it, the line ended before the summary', async () => {
    const dir = chatLog(temp.make(), 10_500, 9000);
    const result = await run(['replay', 'chatlog', '--manifest', 'streamsuites.json', '--out', 'out'], dir, { columns: 70 });
    expect(result.code, result.stderr()).toBe(0);
    const stderr = result.stderr();
    expect(stderr).toContain(`\r\x1b[Kwarning: ${join(dir, 'chatlog/alice/2026-12-01.jsonl')}:9000: not valid JSON (line skipped)\n`);
    const draws = stderr.split('\r').filter((d) => d.startsWith('replay '));
    expect(draws.length).toBeGreaterThan(1);
    for (const draw of draws) expect(visible(draw).length).toBeLessThanOrEqual(69);
    expect(visible(draws.at(-1)!)).toMatch(/^replay \[#{2,}-*\] +\d+% 10501\/10501 lines done in/);
    expect(stderr.endsWith('\x1b[K\n')).toBe(true);
    expect(result.stdout()).toMatch(/^replay finished: 10500 events \(alice=10500\)[^\n]*\n {2}triggers fired: 1050;/);
  });

  it('replay on a terminal redraws at most ten times a second, however many lines go by', async () => {
    const dir = chatLog(temp.make(), 20_000);
    const started = Date.now();
    const result = await run(['replay', 'chatlog', '--manifest', 'streamsuites.json', '--out', 'out'], dir, { columns: 120 });
    const elapsed = Date.now() - started;
    expect(result.code, result.stderr()).toBe(0);
    const draws = result.stderr().split('\r').filter((d) => d.startsWith('replay '));
    // The first draw, one per 100 ms at most, and the final line: never one per line (20,000).
    expect(draws.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(visible(draws.at(-1)!)).toMatch(/^replay \[#{30}\] 100% 20000\/20000 lines done in \d+\.\d s$/);
    expect(result.stdout()).toMatch(/^replay finished: 20000 events \(alice=20000\)/);
  });

  it('import: a bar by file on a terminal, nothing off one (a folder is a dozen small files)', async () => {
    const folder = fileURLToPath(new URL('../../config/samples/full/shared/config/', import.meta.url));
    const present = readdirSync(folder).filter((f) => f.endsWith('.json')).length;
    const cwd = temp.make();
    const tty = await run(['import', folder, '--out', 'a.json'], cwd, { columns: 100 });
    expect(tty.code, tty.stderr()).toBe(0);
    const draws = tty.stderr().split('\r').filter((d) => d !== '');
    expect(visible(draws[0]!)).toMatch(new RegExp(`^import \\[#+-*\\] +\\d+% 1/${present} files \\w+\\.json$`));
    expect(visible(draws.at(-1)!)).toMatch(new RegExp(`^import \\[#{30}\\] 100% ${present}/${present} files done in \\d+\\.\\d s$`));
    expect(tty.stdout()).toContain('✓ wrote a.json');
    const plain = await run(['import', folder, '--out', 'b.json'], cwd);
    expect([plain.code, plain.stderr()]).toEqual([0, '']);
  });

  it('publish-state: plain lines per tenth of the files off a terminal, a bar on one', async () => {
    const from = temp.make();
    for (let i = 0; i < 200; i++) {
      mkdirSync(join(from, 'runtime', 'exports'), { recursive: true });
      writeFileSync(join(from, 'runtime', 'exports', `f${String(i).padStart(3, '0')}.json`), JSON.stringify({ meta: { visibility: i % 5 === 0 ? 'internal-only' : 'public' } }));
    }
    const plain = await run(['publish-state', '--from', from, '--target', temp.make()], from);
    expect(plain.code, plain.stderr()).toBe(0);
    const lines = plain.stderr().split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe('publish-state: 10% (20/200 files) runtime/exports/f019.json');
    expect(lines).toHaveLength(11);
    expect(plain.stdout()).toContain('published 160 file(s)');

    const tty = await run(['publish-state', '--from', from, '--target', temp.make()], from, { columns: 100 });
    expect(tty.code).toBe(0);
    expect(tty.stderr().startsWith('\rpublish-state [')).toBe(true);
    expect(tty.stderr()).toMatch(/\rpublish-state \[#{30}\] 100% 200\/200 files done in \d+\.\d s\x1b\[K\n$/);
  });
});
