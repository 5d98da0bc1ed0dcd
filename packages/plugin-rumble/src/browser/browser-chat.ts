/**
 * Browser mode: Rumble live chat read from, and replies typed into, the chat
 * page in a real Chromium (playwright-core), for creators who have no Live
 * Stream API key or who want to reply. Opt-in: API mode is the default.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { RumbleSelectors } from '../config.js';
import { SS_ERR_RUMBLE_BROWSER, SS_ERR_RUMBLE_SEND_UNAVAILABLE } from '../errors.js';
import type { RumbleChatEntry } from '../types.js';
import { findChromium, firstLine, launchPersistentChromium } from './chromium.js';
import { attachExpression, ROWS_BINDING, type AttachResult } from './observer-script.js';
import { browserError, coded, isTimeout, pageLabel, selectorMissing, type PageRef } from './page-errors.js';
import { readReport, toEntry } from './parse.js';
import { typeReply } from './reply.js';

export type RumbleBrowserStatus = 'idle' | 'starting' | 'running' | 'failed' | 'stopped';

/** pino-like: structured object first, message second. */
export interface RumbleBrowserLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RumbleBrowserChatOptions {
  creatorId: string;
  /** The live chat page (`https://rumble.com/chat/popup/<stream id>`) or the stream's page. */
  chatUrl: string;
  /** Persistent Chromium profile: the Rumble login lives here. */
  profileDir: string;
  /** Default: /usr/bin/chromium, then chromium / chromium-browser / google-chrome on PATH. */
  chromiumPath?: string;
  headless: boolean;
  /** The full table (the plugin merges the configured selectors over DEFAULT_SELECTORS). */
  selectors: RumbleSelectors;
  /** Loading the page and waiting for the chat list, each at most this long. */
  pageTimeoutMs: number;
  /** Launching Chromium at most this long; default 60 s (a cold start on a busy machine is slow, and not a page problem). */
  launchTimeoutMs?: number;
  /** Each step of one send (chat box editable, click, box emptied) at most this long; default min(pageTimeoutMs, 10 s). */
  sendTimeoutMs?: number;
  /** Every row appended to the chat list after start, once, in page order. */
  onEntry(entry: RumbleChatEntry): void;
  /**
   * Coded problems while running: SS_ERR_RUMBLE_SELECTOR_MISSING (once per
   * selector name: rows without a username or text are skipped and counted in
   * `stats`), SS_ERR_RUMBLE_BROWSER (Chromium or the page crashed or closed;
   * status is then `failed` and a new instance is needed).
   */
  onError(error: Error): void;
  logger?: RumbleBrowserLogger;
}

/** Counters since start, for the plugin's status output and for tests. */
export interface RumbleBrowserStats {
  /** Rows given to onEntry. */
  entries: number;
  /** Rows taken as history, not emitted: present when the observer attached (at start, after a reload, in a re-rendered list). */
  historyRows: number;
  /** Rows skipped because a required part (username, text) was missing. */
  skippedRows: number;
  /** Rant rows whose price could not be read (delivered without `rant`). */
  unreadablePrices: number;
  /** Binding calls or rows not of the observer's shape (something else on the page called it). */
  invalidReports: number;
  /** onEntry calls that threw (the caller's bug; the rest of the batch still went out). */
  callbackErrors: number;
  /** Replies sent. */
  sent: number;
}

const NO_LOG: RumbleBrowserLogger = { info() {}, warn() {}, error() {} };

export class RumbleBrowserChat {
  readonly #o: RumbleBrowserChatOptions;
  readonly #log: RumbleBrowserLogger;
  readonly #ref: PageRef;
  readonly #sendTimeoutMs: number;
  #status: RumbleBrowserStatus = 'idle';
  #context: BrowserContext | undefined;
  #chatPage: Page | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #sendChain: Promise<unknown> = Promise.resolve();
  /** Selector names already reported through onError: a redesign breaks every row, one report is enough. */
  readonly #reported = new Set<string>();
  #enterFallbackLogged = false;
  /** Bumped on every load of the page: an attach for an older document must not report. */
  #documents = 0;
  readonly #stats: RumbleBrowserStats = { entries: 0, historyRows: 0, skippedRows: 0, unreadablePrices: 0, invalidReports: 0, callbackErrors: 0, sent: 0 };

  constructor(options: RumbleBrowserChatOptions) {
    this.#o = options;
    this.#log = options.logger ?? NO_LOG;
    this.#ref = { creatorId: options.creatorId, chatUrl: options.chatUrl, page: pageLabel(options.chatUrl), selectors: options.selectors };
    this.#sendTimeoutMs = options.sendTimeoutMs ?? Math.min(options.pageTimeoutMs, 10_000);
  }

  get status(): RumbleBrowserStatus {
    return this.#status;
  }

  get stats(): Readonly<RumbleBrowserStats> {
    return { ...this.#stats };
  }

  /**
   * Launches Chromium on the profile, opens the chat page, waits for the chat
   * list and starts observing it. Rejects with SS_ERR_RUMBLE_BROWSER (no
   * Chromium, launch or page load failed) or SS_ERR_RUMBLE_SELECTOR_MISSING
   * (`chatList` not there within pageTimeoutMs); status is then `failed` and
   * Chromium is closed. One instance starts once.
   */
  start(): Promise<void> {
    if (this.#status !== 'idle') {
      return Promise.reject(new SS_ERR_RUMBLE_BROWSER(this.#o.creatorId, `start() called while ${this.#status}: an instance starts once, make a new one`));
    }
    this.#status = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const { creatorId, profileDir, headless } = this.#o;
    try {
      const chromiumPath = findChromium(creatorId, this.#o.chromiumPath);
      const timeoutMs = this.#o.launchTimeoutMs ?? 60_000;
      const context = await launchPersistentChromium({ creatorId, chromiumPath, profileDir, headless, timeoutMs });
      this.#context = context;
      this.#throwIfStopped();
      const page = context.pages()[0] ?? (await context.newPage());
      this.#chatPage = page;
      page.on('crash', () => this.#fail('the chat page crashed'));
      // Also how a dead Chromium shows up: its pages close with it.
      page.on('close', () => this.#fail('the chat page closed (Chromium exited or was killed, or the page was closed)'));
      // Bindings survive navigations: one registration serves every document the page loads.
      await page.exposeBinding(ROWS_BINDING, (_source, rows: unknown) => this.#onRows(rows));
      this.#throwIfStopped();
      await this.#open(page);
      this.#throwIfStopped();
      const result = await this.#attach(page);
      this.#stats.historyRows += result.history;
      this.#throwIfStopped();
      // A reload (Rumble's, or a reconnect) is a new document without our observer.
      page.on('load', () => void this.#reattach(page));
      this.#status = 'running';
      this.#log.info({ creatorId, page: this.#ref.page, historyRows: result.history, profileDir }, 'Rumble browser chat running');
    } catch (error) {
      const failure = this.#stopping !== undefined ? browserError(this.#ref, 'stopped while starting') : coded(this.#ref, 'start', error);
      if (this.#status === 'starting') this.#status = 'failed';
      await this.#closeContext();
      throw failure;
    }
  }

  #throwIfStopped(): void {
    if (this.#stopping !== undefined) throw browserError(this.#ref, 'stopped while starting');
  }

  async #open(page: Page): Promise<void> {
    const { chatUrl, pageTimeoutMs } = this.#o;
    let response;
    try {
      response = await page.goto(chatUrl, { timeout: pageTimeoutMs, waitUntil: 'domcontentloaded' });
    } catch (error) {
      throw browserError(this.#ref, `cannot open the chat page ${this.#ref.page}`, error);
    }
    if (response !== null && response.status() >= 400) {
      throw browserError(this.#ref, `the chat page ${this.#ref.page} answered HTTP ${response.status()}`, undefined, { status: response.status() });
    }
  }

  /** Waits for the chat list, then attaches the observer (rows already there are history). */
  async #attach(page: Page): Promise<AttachResult> {
    const { selectors, pageTimeoutMs } = this.#o;
    try {
      await page.waitForSelector(selectors.chatList, { state: 'attached', timeout: pageTimeoutMs });
    } catch (error) {
      if (!isTimeout(error) && !/selector/i.test(firstLine(error))) throw error;
      throw selectorMissing(this.#ref, 'chatList', error);
    }
    const result = (await page.evaluate(attachExpression(selectors))) as AttachResult;
    if (!result.attached) throw selectorMissing(this.#ref, 'chatList');
    return result;
  }

  async #reattach(page: Page): Promise<void> {
    const document = ++this.#documents;
    if (this.#status !== 'running') return;
    try {
      const result = await this.#attach(page);
      if (result.already) return;
      this.#stats.historyRows += result.history;
      this.#log.info({ creatorId: this.#o.creatorId, historyRows: result.history }, 'Rumble chat page reloaded; observing again');
    } catch (error) {
      // A newer load superseded this one (its document is gone): that load attaches.
      if (document !== this.#documents) return;
      this.#fail('the chat page reloaded and could not be observed again', error);
    }
  }

  #onRows(payload: unknown): void {
    if (this.#status !== 'running' && this.#status !== 'starting') return;
    const { rows, invalid, relisted } = readReport(payload);
    if (invalid > 0) {
      this.#stats.invalidReports += invalid;
      this.#log.warn({ creatorId: this.#o.creatorId, invalid }, 'Rumble chat observer sent rows of an unknown shape; skipped');
    }
    if (relisted !== undefined) {
      this.#stats.historyRows += relisted;
      this.#log.info({ creatorId: this.#o.creatorId, historyRows: relisted }, 'Rumble chat list re-rendered; observing the new list');
    }
    for (const row of rows) {
      const result = toEntry(row);
      if (!result.ok) {
        this.#stats.skippedRows++;
        if (!this.#reported.has(result.missing)) {
          this.#reported.add(result.missing);
          const error = selectorMissing(this.#ref, result.missing);
          this.#log.warn({ creatorId: this.#o.creatorId, name: result.missing, selector: this.#o.selectors[result.missing] }, 'Rumble chat rows skipped: selector matches nothing');
          this.#emitError(error);
        }
        continue;
      }
      if (result.badPrice !== undefined) {
        this.#stats.unreadablePrices++;
        this.#log.warn({ creatorId: this.#o.creatorId, price: result.badPrice }, 'Rumble rant price unreadable; delivered as a plain message');
      }
      this.#stats.entries++;
      try {
        this.#o.onEntry(result.entry);
      } catch (error) {
        this.#stats.callbackErrors++;
        this.#log.error({ creatorId: this.#o.creatorId, err: error }, 'onEntry threw');
      }
    }
  }

  /**
   * Types `text` into the chat box and sends it: a click on `sendButton`, or,
   * when that selector matches nothing, Enter in the box (Rumble's box sends
   * on Enter too, so a renamed button does not stop replies; logged once).
   * Resolves once the page has emptied the box, as Rumble does when it takes
   * a message. Sends are queued, one at a time, in call order.
   *
   * Rejects with SS_ERR_RUMBLE_SEND_UNAVAILABLE (not running; empty text; the
   * box not editable in time, e.g. not logged in), SS_ERR_RUMBLE_SELECTOR_MISSING
   * (`chatInput` matches nothing) or SS_ERR_RUMBLE_BROWSER (a step timed out,
   * the page went away).
   */
  send(text: string): Promise<void> {
    const run = this.#sendChain.then(() => this.#send(text));
    this.#sendChain = run.catch(() => undefined);
    return run;
  }

  async #send(text: string): Promise<void> {
    const { creatorId, selectors } = this.#o;
    const page = this.#chatPage;
    if (this.#status !== 'running' || page === undefined) throw new SS_ERR_RUMBLE_SEND_UNAVAILABLE(creatorId, `browser mode is ${this.#status}`);
    if (text.trim() === '') throw new SS_ERR_RUMBLE_SEND_UNAVAILABLE(creatorId, 'the reply is empty');
    try {
      await typeReply(page, this.#ref, text, this.#sendTimeoutMs, () => {
        if (this.#enterFallbackLogged) return;
        this.#enterFallbackLogged = true;
        this.#log.warn({ creatorId, selector: selectors.sendButton }, 'Rumble send button not found; sending with Enter');
      });
      this.#stats.sent++;
    } catch (error) {
      throw coded(this.#ref, 'send', error);
    }
  }

  /**
   * Closes Chromium. Idempotent: every call returns the same promise; a
   * start in progress is abandoned (it rejects) and awaited.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#doStop());
  }

  async #doStop(): Promise<void> {
    const was = this.#status;
    this.#status = 'stopped';
    await this.#closeContext();
    await this.#starting?.catch(() => undefined);
    if (was === 'running') this.#log.info({ creatorId: this.#o.creatorId, ...this.#stats }, 'Rumble browser chat stopped');
  }

  /** Chromium or the page went away while running: one onError, status failed. */
  #fail(reason: string, cause?: unknown): void {
    if (this.#status !== 'running') return;
    this.#status = 'failed';
    const { creatorId } = this.#o;
    const error = browserError(this.#ref, reason, cause);
    this.#log.error({ creatorId, err: error }, 'Rumble browser chat failed');
    this.#emitError(error);
    void this.#closeContext();
  }

  #emitError(error: Error): void {
    try {
      this.#o.onError(error);
    } catch (thrown) {
      this.#stats.callbackErrors++;
      this.#log.error({ creatorId: this.#o.creatorId, err: thrown }, 'onError threw');
    }
  }

  async #closeContext(): Promise<void> {
    const context = this.#context;
    if (context === undefined) return;
    try {
      await context.close();
    } catch (error) {
      this.#log.warn({ creatorId: this.#o.creatorId, reason: firstLine(error) }, 'closing Chromium failed');
    }
  }
}
