/** Shared helpers for the fake-server tests: a raw ws client and a tmi.js client factory. */
import tmi from 'tmi.js';
import WebSocket from 'ws';
import type { FakeTwitchChat } from '../src/testing.js';

export const FIXTURES = new URL('../../../fixtures/twitch/', import.meta.url);

/** Rejects after `ms` unless `promise` settles first; every wait in these tests has a deadline. */
export function deadline<T>(promise: Promise<T>, ms = 5000, what = 'event'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A bare WebSocket IRC client that records every frame as received. */
export class RawClient {
  readonly frames: Buffer[] = [];
  readonly #waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(Buffer.from(data));
      for (const w of [...this.#waiters]) w();
    });
  }

  static async connect(url: string): Promise<RawClient> {
    const ws = new WebSocket(url, 'irc');
    const client = new RawClient(ws);
    await deadline(new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject)), 5000, 'ws open');
    return client;
  }

  /** Every line received so far, frames split on CRLF. */
  lines(): string[] {
    return this.frames.flatMap((f) => f.toString('utf8').split('\r\n').filter(Boolean));
  }

  send(...lines: string[]): void {
    for (const l of lines) this.ws.send(l);
  }

  /** Resolves when `predicate(lines())` holds. */
  waitFor(predicate: (lines: string[]) => boolean, what = 'lines', ms = 5000): Promise<void> {
    if (predicate(this.lines())) return Promise.resolve();
    let check!: () => void;
    const p = new Promise<void>((resolve) => {
      check = () => {
        if (predicate(this.lines())) resolve();
      };
      this.#waiters.add(check);
    });
    return deadline(p, ms, what).finally(() => this.#waiters.delete(check));
  }

  /** Logs in as `nick` and waits for the end of the welcome (376). */
  async login(nick = 'bot', token = 'oauth:x', caps = 'twitch.tv/tags twitch.tv/commands twitch.tv/membership'): Promise<void> {
    this.send(`CAP REQ :${caps}`, `PASS ${token}`, `NICK ${nick}`);
    await this.waitFor((ls) => ls.some((l) => / 376 /.test(l)), 'welcome');
  }

  closed(): Promise<number> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(1006);
    return deadline(new Promise((resolve) => this.ws.once('close', (code: number) => resolve(code))), 5000, 'ws close');
  }

  close(): void {
    this.ws.terminate();
  }
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The tmi.js 1.8.5 client exactly as an integrator would configure it against the fake. */
export function tmiClient(fake: FakeTwitchChat, overrides: { password?: string; channels?: string[]; timeout?: number } = {}): tmi.Client {
  return new tmi.Client({
    options: { skipUpdatingEmotesets: true },
    connection: { server: '127.0.0.1', port: fake.port, secure: false, reconnect: false, timeout: overrides.timeout },
    identity: { username: 'bot', password: overrides.password ?? 'oauth:x' },
    channels: overrides.channels ?? ['#alice'],
    logger: quiet,
  });
}

/** Resolves with the arguments of the next `event` from an EventEmitter-like client. */
export function nextEvent<A extends unknown[]>(emitter: tmi.Client, event: string, ms = 5000): Promise<A> {
  // tmi's typed `once` overloads do not accept a generic event name; its emitter is a plain Node-style one.
  const plain = emitter as unknown as { once(event: string, fn: (...args: unknown[]) => void): unknown };
  return deadline(new Promise<A>((resolve) => plain.once(event, (...args) => resolve(args as A))), ms, `'${event}'`);
}
