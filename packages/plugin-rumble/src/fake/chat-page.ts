/**
 * A local stand-in for Rumble's live chat page, for browser-mode tests and
 * the demo; never for production. Served on 127.0.0.1:
 *
 *   GET  /chat/popup/<id>          the page, with every message appended so far as history
 *   GET  /chat/popup/<id>/stream   EventSource: later messages (`?after=N`, or Last-Event-ID on reconnect)
 *   POST /chat/popup/<id>/send     what the chat box sent ({"text"}); echoed back as the user's own row
 *   POST /chat/popup/<id>/ack      a page applied a chat box change (setChatBox)
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatPageHtml, type FakeChatBoxState, type FakeChatPageVariant, type FakeChatRow } from './chat-page-html.js';

export type { FakeChatBoxState, FakeChatPageVariant } from './chat-page-html.js';

export interface FakeChatPageOptions {
  /** `renamed-list`: the chat list has another id (a redesign); `renamed-input`: the chat box has another id. */
  variant?: FakeChatPageVariant;
  /** The stream id in the URL; default `fake123`. */
  streamId?: string;
  /** The name the page shows on the user's own messages; default `streamsuites-bot`. */
  selfName?: string;
}

export interface FakeChatMessage {
  username: string;
  text: string;
  /** Badge alt texts as Rumble shows them: `Moderator`, `Rumble Premium User`, `Admin`... */
  badges?: string[];
  /** A rant: its price as the page prints it (`$2`, `$1.50`). */
  rant?: { price: string };
  /** The row's `data-message-id`; default a fresh numeric id. */
  id?: string;
}

export interface FakeRumbleChatPage {
  /** `http://127.0.0.1:PORT/chat/popup/<id>` */
  readonly url: string;
  /**
   * Queues a message: pages that are open get it over their EventSource; a
   * page opened later shows it as history. Resolves when queued, not when
   * rendered.
   */
  append(message: FakeChatMessage): Promise<void>;
  /** Texts sent through the chat box (button or Enter), in order. */
  typed(): string[];
  /** Resolves with typed() once it has at least `count` texts; rejects after `timeoutMs` (default 10 s). */
  waitForTyped(count: number, timeoutMs?: number): Promise<string[]>;
  /** Open EventSource connections (one per open page). */
  clients(): number;
  /** Resolves once at least `count` pages are connected; rejects after `timeoutMs` (default 10 s). */
  waitForClients(count: number, timeoutMs?: number): Promise<void>;
  /** Page loads, and how many of them carried the session cookie set by an earlier load (a persistent profile). */
  visits(): { total: number; withSession: number };
  /**
   * Changes how the chat box behaves on every open page (and on pages loaded
   * later); resolves once each page open at the call has applied it.
   */
  setChatBox(state: FakeChatBoxState, timeoutMs?: number): Promise<void>;
  /** Makes every open page reload itself (as after a Rumble deploy). */
  reloadPages(): void;
  /**
   * Makes every open page rebuild, without a reload, the whole chat list
   * (`list`: a new `ul` with copies of its rows) or each row in place
   * (`rows`): the same messages as new elements.
   */
  rerender(what: 'list' | 'rows'): void;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'fake_rumble_session';

/** Resolves with what `ready()` returns once it is not undefined (checked on every `poke()`); rejects after `timeoutMs`. */
function waiter<T>(ready: () => T | undefined, timeoutMs: number, describe: () => string): { promise: Promise<T>; poke: () => boolean } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const timer = setTimeout(() => reject(new Error(`fake Rumble chat page: ${describe()} after ${timeoutMs} ms`)), timeoutMs);
  const poke = (): boolean => {
    const value = ready();
    if (value === undefined) return false;
    clearTimeout(timer);
    resolve(value);
    return true;
  };
  return { promise, poke };
}

export async function startFakeRumbleChatPage(options: FakeChatPageOptions = {}): Promise<FakeRumbleChatPage> {
  const variant = options.variant ?? 'normal';
  const streamId = options.streamId ?? 'fake123';
  const selfName = options.selfName ?? 'streamsuites-bot';
  const base = `/chat/popup/${streamId}`;
  const rows: FakeChatRow[] = [];
  const typed: string[] = [];
  /** Open EventSource responses, each with the index of the first row it has not been sent. */
  const streams = new Map<ServerResponse, number>();
  const waiters = new Set<() => boolean>();
  const visits = { total: 0, withSession: 0 };
  let nextId = 1_000_001;
  let chatBox: FakeChatBoxState = 'normal';
  let chatBoxVersion = 0;
  /** Pages that applied each chat box change, by version. */
  const chatBoxAcks = new Map<number, number>();

  const pokeAll = (): void => {
    for (const poke of waiters) if (poke()) waiters.delete(poke);
  };
  const wait = <T>(ready: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> => {
    const w = waiter(ready, timeoutMs, describe);
    if (!w.poke()) {
      waiters.add(w.poke);
      w.promise.catch(() => waiters.delete(w.poke));
    }
    return w.promise;
  };

  /**
   * Rows reach each page in batches: everything queued since its last batch,
   * as one event the page renders in one go (as Rumble's socket delivers
   * several messages at once), so a burst lands in one observer callback.
   */
  const flushTo = (res: ServerResponse): void => {
    const next = streams.get(res) ?? rows.length;
    if (next >= rows.length) return;
    res.write(`id: ${rows.length}\nevent: messages\ndata: ${JSON.stringify(rows.slice(next))}\n\n`);
    streams.set(res, rows.length);
  };
  let flushScheduled = false;
  const push = (row: FakeChatRow): void => {
    rows.push(row);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      for (const res of streams.keys()) flushTo(res);
    });
  };

  const page = (req: IncomingMessage, res: ServerResponse): void => {
    visits.total++;
    const hasSession = (req.headers.cookie ?? '').split(/;\s*/).some((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (hasSession) visits.withSession++;
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    // Max-Age makes it a persistent cookie: it survives a browser restart only in a persistent profile.
    if (!hasSession) headers['set-cookie'] = `${SESSION_COOKIE}=${randomBytes(8).toString('hex')}; Max-Age=86400; Path=/; SameSite=Lax`;
    res.writeHead(200, headers);
    res.end(chatPageHtml({ variant, streamId, history: rows.slice(), streamPath: `${base}/stream`, sendPath: `${base}/send`, ackPath: `${base}/ack`, chatBox }));
  };

  const stream = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const lastId = Number(req.headers['last-event-id'] ?? Number.NaN);
    const after = Number.isInteger(lastId) ? lastId : Number(url.searchParams.get('after') ?? 0);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.set(res, Math.min(Math.max(0, after), rows.length));
    flushTo(res);
    pokeAll();
    res.on('close', () => {
      streams.delete(res);
      pokeAll();
    });
  };

  const readText = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const send = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readText(req);
    let text: unknown;
    try {
      text = (JSON.parse(body) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') {
      res.writeHead(400).end();
      return;
    }
    typed.push(text);
    push({ id: String(nextId++), userId: 'u-self', username: selfName, text, badges: [], rantPrice: null });
    res.writeHead(204).end();
    pokeAll();
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === base) return page(req, res);
    if (req.method === 'GET' && url.pathname === `${base}/stream`) return stream(req, res, url);
    if (req.method === 'POST' && url.pathname === `${base}/ack`) {
      readText(req)
        .then((body) => {
          const version = Number(body);
          chatBoxAcks.set(version, (chatBoxAcks.get(version) ?? 0) + 1);
          res.writeHead(204).end();
          pokeAll();
        })
        .catch(() => res.destroy());
      return;
    }
    if (req.method === 'POST' && url.pathname === `${base}/send`) {
      send(req, res).catch(() => res.destroy());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${base}`,
    append(message) {
      push({
        id: message.id ?? String(nextId++),
        userId: `u-${message.username}`,
        username: message.username,
        text: message.text,
        badges: message.badges ?? [],
        rantPrice: message.rant?.price ?? null,
      });
      return Promise.resolve();
    },
    typed: () => typed.slice(),
    waitForTyped: (count, timeoutMs = 10_000) =>
      wait(() => (typed.length >= count ? typed.slice() : undefined), timeoutMs, () => `${typed.length} of ${count} texts typed (${JSON.stringify(typed)})`),
    clients: () => streams.size,
    waitForClients: (count, timeoutMs = 10_000) =>
      wait(() => (streams.size >= count ? true : undefined), timeoutMs, () => `${streams.size} of ${count} pages connected`).then(() => undefined),
    visits: () => ({ ...visits }),
    setChatBox(state, timeoutMs = 10_000) {
      chatBox = state;
      const version = ++chatBoxVersion;
      const pages = streams.size;
      for (const res of streams.keys()) res.write(`event: chatbox\ndata: ${JSON.stringify({ state, version })}\n\n`);
      return wait(
        () => ((chatBoxAcks.get(version) ?? 0) >= pages ? true : undefined),
        timeoutMs,
        () => `${chatBoxAcks.get(version) ?? 0} of ${pages} pages applied chat box ${state}`,
      ).then(() => undefined);
    },
    reloadPages() {
      // Rows queued before the reload reach the page first, as they would have on Rumble.
      for (const res of streams.keys()) {
        flushTo(res);
        res.write('event: reload\ndata: {}\n\n');
      }
    },
    rerender(what) {
      for (const res of streams.keys()) {
        flushTo(res);
        res.write(`event: rerender\ndata: ${JSON.stringify({ what })}\n\n`);
      }
    },
    async close() {
      for (const res of streams.keys()) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
