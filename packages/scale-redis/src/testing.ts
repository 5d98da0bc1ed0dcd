import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLocalPort } from '@streamsuites/kernel/testing';
import { SS_ERR_SCALE_REDIS_NOT_INSTALLED, SS_ERR_SCALE_REDIS_START_FAILED } from './errors.js';

/*
 * A throwaway redis-server for tests and demos: a free loopback port, a fresh
 * temp dir, no persistence. The only "real part" the scale tests need.
 */

export interface StartLocalRedisOptions {
  /** Path or name of the server binary (default `redis-server`, from PATH). */
  binary?: string;
  /** How long to wait for the first PONG (default 10000 ms). */
  timeoutMs?: number;
}

export interface LocalRedis extends AsyncDisposable {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  host: string;
  port: number;
  /** The server's working directory (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
}


/** One PING over a raw socket: resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

type Outcome = { kind: 'up' } | { kind: 'exited'; code: number | null } | { kind: 'missing' } | { kind: 'timeout' };

async function launch(binary: string, port: number, dir: string, deadline: number): Promise<{ child: ChildProcess; outcome: Outcome; output: () => string }> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  let ended: Outcome | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => void (ended = error.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'exited', code: null }));
  child.once('exit', (code) => void (ended ??= { kind: 'exited', code }));
  // Poll PING until the deadline: the server logs "Ready" at a different level per version, PING is the real test.
  while (ended === undefined) {
    if (await ping(port)) return { child, outcome: { kind: 'up' }, output: () => output };
    if (Date.now() > deadline) return { child, outcome: { kind: 'timeout' }, output: () => output };
    await new Promise((r) => setTimeout(r, 20)); // poll interval, not a synchronisation sleep
  }
  return { child, outcome: ended, output: () => output };
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts redis-server on a free 127.0.0.1 port in a fresh temp dir; resolves once it answers PING. */
export async function startLocalRedis(options: StartLocalRedisOptions = {}): Promise<LocalRedis> {
  const binary = options.binary ?? 'redis-server';
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'ss-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freeLocalPort();
    const { child, outcome, output } = await launch(binary, port, dir, deadline);
    if (outcome.kind === 'up') {
      const stop = async (): Promise<void> => {
        const exited = exitOf(child);
        child.kill('SIGKILL'); // a test server: nothing to flush
        await exited;
        rmSync(dir, { recursive: true, force: true });
      };
      return { url: `redis://127.0.0.1:${port}`, host: '127.0.0.1', port, dir, stop, [Symbol.asyncDispose]: stop };
    }
    child.kill('SIGKILL');
    await exitOf(child);
    if (outcome.kind === 'missing') {
      rmSync(dir, { recursive: true, force: true });
      throw new SS_ERR_SCALE_REDIS_NOT_INSTALLED(binary);
    }
    // The port was taken between probing and binding: try another one while time is left.
    const portTaken = /address already in use/iu.test(output());
    if (outcome.kind === 'exited' && portTaken && attempt < 5 && Date.now() < deadline) continue;
    rmSync(dir, { recursive: true, force: true });
    const reason = outcome.kind === 'timeout' ? 'no answer to PING before the deadline' : `redis-server exited with code ${outcome.code}`;
    throw new SS_ERR_SCALE_REDIS_START_FAILED(reason, { details: { port, output: output().slice(-2000) } });
  }
}
