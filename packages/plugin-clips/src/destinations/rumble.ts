import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { chromium, errors as playwrightErrors, type Browser, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';
import { backoffDelay, isStreamSuitesError } from '@streamsuites/kernel';
import type { ClipDestination, ClipFile } from '../types.js';
import { RUMBLE_DEFAULTS, RUMBLE_SELECTORS, type RumbleDestinationOptions } from './config.js';
import { SS_ERR_CLIPS_CHROMIUM_MISSING, SS_ERR_CLIPS_DESTINATION_INVALID, SS_ERR_CLIPS_UPLOAD_FAILED } from './errors.js';
import {
  Redactor,
  abortableDelay,
  aborted,
  assertReadableFile,
  htmlText,
  oneLine,
  renderTemplate,
  safeUrl,
  silentLogger,
  writeFileAtomic,
  type Backoff,
  type DestinationLogger,
} from './shared.js';

/**
 * Chromium flags of the toolchain recipe (DESIGN.md section 7). Playwright's
 * `launch` adds a fresh temporary `--user-data-dir` itself; `--headless` is
 * added when `headless` is on.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RumbleDestinationDeps {
  log?: DestinationLogger;
}

/** A failure with a reason fit for the error message (not yet redacted). */
class StepFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; status?: number },
  ) {
    super(reason, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }
  readonly status: number | undefined;
}

interface Selectors {
  username: string;
  password: string;
  loginSubmit: string;
  loginError: string;
  fileInput: string;
  title: string;
  description: string;
  channel: string;
  submit: string;
  consents: readonly string[];
  finalSubmit: string;
  published: string;
  error: string;
}

interface Progress {
  step: string;
  /** Status of the last page load of the upload page. */
  pageStatus?: number;
}

/**
 * Publishes a clip on Rumble through a real Chromium (playwright-core, the
 * system's browser; nothing is downloaded): opens the upload page, logs in
 * when the page asks for it, sets the file, the title (and description and
 * channel when configured and offered), ticks the rights/terms boxes,
 * submits, and waits for the link to the published video.
 *
 * Every upload gets its own browser with a fresh profile; `sessionFile`
 * keeps the cookies between uploads. Only loading the upload page is retried
 * here (network errors and 5xx); any other failure throws
 * SS_ERR_CLIPS_UPLOAD_FAILED with the reason and `details.retryable`, and
 * the job engine decides. A screenshot of the page is written to
 * `screenshotDir` on failure. The password never reaches a message, a
 * detail or a log line.
 */
export class RumbleDestination implements ClipDestination {
  readonly kind = 'rumble';
  readonly #uploadUrl: string;
  readonly #channelUrl: string;
  readonly #username: string | undefined;
  readonly #password: string | undefined;
  readonly #chromiumPath: string;
  readonly #headless: boolean;
  readonly #sessionFile: string | undefined;
  readonly #screenshotDir: string | undefined;
  readonly #description: string | undefined;
  readonly #navigationMs: number;
  readonly #actionMs: number;
  readonly #publishMs: number;
  readonly #navigationAttempts: number;
  readonly #navigationBackoff: Backoff;
  readonly #selectors: Selectors;
  readonly #redactor: Redactor;
  readonly #log: DestinationLogger;

  constructor(options: RumbleDestinationOptions = {}, deps: RumbleDestinationDeps = {}) {
    this.#uploadUrl = httpUrl(options.uploadUrl ?? RUMBLE_DEFAULTS.uploadUrl, 'uploadUrl');
    this.#channelUrl = httpUrl(options.channelUrl ?? RUMBLE_DEFAULTS.channelUrl, 'channelUrl');
    this.#username = options.username;
    this.#password = options.password;
    if ((this.#username === undefined) !== (this.#password === undefined)) {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('rumble', 'set both options.username and options.password, or neither');
    }
    this.#chromiumPath = options.chromiumPath ?? RUMBLE_DEFAULTS.chromiumPath;
    this.#headless = options.headless ?? RUMBLE_DEFAULTS.headless;
    this.#sessionFile = options.sessionFile === undefined ? undefined : resolve(options.sessionFile);
    this.#screenshotDir = options.screenshotDir === undefined ? undefined : resolve(options.screenshotDir);
    this.#description = options.description;
    const timeouts = { ...RUMBLE_DEFAULTS.timeouts, ...options.timeouts };
    this.#navigationMs = timeouts.navigationMs;
    this.#actionMs = timeouts.actionMs;
    this.#publishMs = timeouts.publishMs;
    this.#navigationAttempts = options.navigationAttempts ?? RUMBLE_DEFAULTS.navigationAttempts;
    this.#navigationBackoff = { ...RUMBLE_DEFAULTS.navigationBackoff, ...options.navigationBackoff };
    this.#selectors = { ...RUMBLE_SELECTORS, ...options.selectors };
    this.#redactor = new Redactor([this.#password]);
    this.#log = deps.log ?? silentLogger;
  }

  /** The settings in effect, without secrets (for logs and status pages). */
  describe(): Record<string, unknown> {
    return {
      kind: this.kind,
      channelUrl: this.#channelUrl,
      uploadUrl: safeUrl(this.#uploadUrl),
      login: this.#username === undefined ? 'none' : 'configured',
      chromiumPath: this.#chromiumPath,
      ...(this.#sessionFile === undefined ? {} : { sessionFile: this.#sessionFile }),
      ...(this.#screenshotDir === undefined ? {} : { screenshotDir: this.#screenshotDir }),
      timeouts: { navigationMs: this.#navigationMs, actionMs: this.#actionMs, publishMs: this.#publishMs },
    };
  }

  async upload(file: ClipFile, signal: AbortSignal): Promise<{ url: string }> {
    const what = `Rumble upload of clip ${file.clipId}`;
    if (signal.aborted) throw aborted(what, signal);
    await assertReadableFile('rumble', file);
    const started = Date.now();
    const browser = await this.#launch();
    const onAbort = (): void => void browser.close().catch(() => {});
    signal.addEventListener('abort', onAbort, { once: true });
    const progress: Progress = { step: 'open a browser page' };
    let page: Page | undefined;
    try {
      if (signal.aborted) throw aborted(what, signal);
      const context = await this.#newContext(browser);
      page = await context.newPage();
      page.setDefaultTimeout(this.#actionMs);
      page.setDefaultNavigationTimeout(this.#navigationMs);

      await this.#openUploadForm(page, progress, signal);
      if (await this.#loginShown(page)) {
        await this.#login(page, progress);
        await this.#saveSession(context);
        if ((await page.locator(this.#selectors.fileInput).count()) === 0) await this.#openUploadForm(page, progress, signal);
        if (await this.#loginShown(page)) {
          throw new StepFailure('the upload page still asks for a login after logging in', false);
        }
      }

      progress.step = 'set the file';
      await page.locator(this.#selectors.fileInput).first().setInputFiles(file.path);
      progress.step = 'fill the title';
      await page.locator(this.#selectors.title).first().fill(file.title);
      if (this.#description !== undefined) {
        progress.step = 'fill the description';
        const description = page.locator(this.#selectors.description).first();
        if ((await description.count()) > 0) await description.fill(renderTemplate(this.#description, file));
      }
      progress.step = 'choose the channel';
      await this.#chooseChannel(page);
      progress.step = 'tick the rights and terms boxes';
      await this.#tickConsents(page, false);

      progress.step = 'submit the upload';
      const httpErrors = watchHttpErrors(page);
      const deadline = Date.now() + this.#publishMs;
      try {
        await this.#submit(page.locator(this.#selectors.submit).first(), deadline, progress);
        progress.step = 'wait for the published link';
        const url = await this.#awaitPublished(page, httpErrors, progress, deadline);
        await this.#saveSession(context);
        this.#log.info({ destination: 'rumble', clipId: file.clipId, url, ms: Date.now() - started }, 'clip published on Rumble');
        return { url };
      } finally {
        httpErrors.dispose();
      }
    } catch (error) {
      if (signal.aborted) throw aborted(what, signal);
      const screenshot = page === undefined ? undefined : await this.#screenshot(page, file);
      const failure = this.#toError(error, progress, file, screenshot);
      this.#log.warn({ destination: 'rumble', clipId: file.clipId, step: progress.step, reason: failure.message, screenshot }, 'Rumble upload failed');
      throw failure;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await browser.close().catch(() => {});
    }
  }

  async #launch(): Promise<Browser> {
    if (!existsSync(this.#chromiumPath)) throw new SS_ERR_CLIPS_CHROMIUM_MISSING(this.#chromiumPath, 'no such file');
    try {
      return await chromium.launch({
        executablePath: this.#chromiumPath,
        headless: this.#headless,
        args: this.#headless ? ['--headless', ...CHROMIUM_ARGS] : [...CHROMIUM_ARGS],
        timeout: this.#navigationMs,
        // The kernel owns the signals; an abort closes the browser.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      throw new SS_ERR_CLIPS_CHROMIUM_MISSING(this.#chromiumPath, firstLine(error), { cause: this.#redactor.error(error) });
    }
  }

  async #newContext(browser: Browser): Promise<BrowserContext> {
    if (this.#sessionFile !== undefined && existsSync(this.#sessionFile)) {
      try {
        return await browser.newContext({ storageState: this.#sessionFile, acceptDownloads: false });
      } catch (error) {
        this.#log.warn({ destination: 'rumble', sessionFile: this.#sessionFile, reason: firstLine(error) }, 'Rumble session file unreadable; starting without it');
      }
    }
    return browser.newContext({ acceptDownloads: false });
  }

  async #saveSession(context: BrowserContext): Promise<void> {
    if (this.#sessionFile === undefined) return;
    try {
      const state = await context.storageState();
      await mkdir(dirname(this.#sessionFile), { recursive: true });
      await writeFileAtomic(this.#sessionFile, JSON.stringify(state), 0o600);
    } catch (error) {
      this.#log.warn({ destination: 'rumble', sessionFile: this.#sessionFile, reason: firstLine(error) }, 'cannot save the Rumble session');
    }
  }

  /** Loads the upload page (retrying network errors and 5xx) until it shows the upload form or a login form. */
  async #openUploadForm(page: Page, progress: Progress, signal: AbortSignal): Promise<void> {
    progress.step = 'open the upload page';
    for (let attempt = 1; ; attempt += 1) {
      let reason: string;
      try {
        const response = await page.goto(this.#uploadUrl, { waitUntil: 'domcontentloaded' });
        const status = response?.status() ?? 200;
        progress.pageStatus = status;
        if (status < 500) break;
        reason = `HTTP ${status}`;
      } catch (error) {
        if (signal.aborted) throw error;
        reason = firstLine(error);
      }
      if (attempt >= this.#navigationAttempts) {
        throw new StepFailure(
          `cannot load the upload page ${safeUrl(this.#uploadUrl)} (${attempt} attempt${attempt === 1 ? '' : 's'}): ${reason}`,
          true,
          progress.pageStatus === undefined || progress.pageStatus < 500 ? {} : { status: progress.pageStatus },
        );
      }
      const waitMs = backoffDelay(this.#navigationBackoff, attempt);
      this.#log.warn({ destination: 'rumble', url: safeUrl(this.#uploadUrl), attempt, waitMs, reason: this.#redactor.text(reason) }, 'Rumble upload page did not load, retrying');
      await abortableDelay(waitMs, signal, 'Rumble upload');
    }
    progress.step = 'find the upload form';
    const form = page.locator(this.#selectors.fileInput).or(page.locator(this.#selectors.username)).first();
    try {
      await form.waitFor({ state: 'attached', timeout: this.#navigationMs });
    } catch (error) {
      if (!(error instanceof playwrightErrors.TimeoutError)) throw error;
      const title = await page.title().catch(() => '');
      throw new StepFailure(
        `the page ${safeUrl(page.url())} (HTTP ${progress.pageStatus ?? '?'}${title === '' ? '' : `, "${oneLine(title, 80)}"`}) shows neither the upload form nor a login form`,
        false,
      );
    }
  }

  async #loginShown(page: Page): Promise<boolean> {
    return page.locator(this.#selectors.username).first().isVisible();
  }

  async #login(page: Page, progress: Progress): Promise<void> {
    progress.step = 'log in';
    if (this.#username === undefined || this.#password === undefined) {
      throw new StepFailure('the upload page asks for a login, but no username and password are configured', false);
    }
    await page.locator(this.#selectors.username).first().fill(this.#username);
    await page.locator(this.#selectors.password).first().fill(this.#password);
    const loginError = page.locator(this.#selectors.loginError).first();
    // Either the page navigates (the usual form post) or the script shows an error in place.
    const navigated = quiet(page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: this.#navigationMs }));
    const rejectedInPlace = quiet(loginError.waitFor({ state: 'visible', timeout: this.#navigationMs }));
    await page.locator(this.#selectors.loginSubmit).first().click();
    const outcome = await Promise.race([navigated.then((ok) => (ok ? 'navigated' : 'timeout')), rejectedInPlace.then((ok) => (ok ? 'rejected' : 'timeout'))]);
    if (outcome === 'timeout') throw new StepFailure(`the login page did not answer within ${this.#navigationMs} ms`, true);
    if (outcome === 'navigated') await page.waitForLoadState('domcontentloaded');
    if (await this.#loginShown(page)) {
      const message = (await loginError.isVisible()) ? oneLine(await loginError.innerText(), 200) : 'the login form is shown again';
      throw new StepFailure(`the login was rejected: ${message}`, false);
    }
  }

  /** Selects `channelUrl` in the channel list when the form has one; refuses to publish elsewhere. */
  async #chooseChannel(page: Page): Promise<void> {
    if (this.#selectors.channel === '') return;
    const select = page.locator(this.#selectors.channel).first();
    if ((await select.count()) === 0) return;
    const slug = channelSlug(this.#channelUrl);
    const options = select.locator('option');
    const offered: string[] = [];
    for (let index = 0, count = await options.count(); index < count; index += 1) {
      const option = options.nth(index);
      const value = (await option.getAttribute('value')) ?? '';
      const label = ((await option.textContent()) ?? '').trim();
      offered.push(label || value);
      if (matchesChannel(value, label, slug, this.#channelUrl)) {
        await select.selectOption({ index });
        return;
      }
    }
    throw new StepFailure(`the account cannot publish to the channel "${slug}" (the form offers: ${offered.join(', ') || 'nothing'})`, false);
  }

  /**
   * Ticks the rights/terms boxes that are shown (a hidden box is ticked
   * through its label). With `required`, a box that exists but cannot be
   * ticked is a failure.
   */
  async #tickConsents(page: Page, required: boolean): Promise<void> {
    for (const selector of this.#selectors.consents) {
      const box = page.locator(selector).first();
      if ((await box.count()) === 0 || (await box.isChecked())) continue;
      if (await box.isVisible()) {
        await box.check();
        continue;
      }
      const id = await box.getAttribute('id');
      const label = id === null ? undefined : page.locator(`label[for="${id.replace(/["\\]/g, '\\$&')}"]`).first();
      if (label !== undefined && (await label.isVisible())) {
        await label.click();
        if (await box.isChecked()) continue;
      }
      if (required) throw new StepFailure(`cannot tick the box ${selector}`, false);
    }
  }

  /** After submit: the published link, an error shown by the site, a failed page load, or the second step's button. */
  async #awaitPublished(page: Page, httpErrors: HttpErrorWatch, progress: Progress, deadline: number): Promise<string> {
    const published = page.locator(this.#selectors.published).first();
    const siteError = page.locator(this.#selectors.error).first();
    const finalSubmit = this.#selectors.finalSubmit === '' ? undefined : page.locator(this.#selectors.finalSubmit).first();
    let finalClicked = false;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new StepFailure(`no published link within ${this.#publishMs} ms after submitting`, true);
      let target = published.or(siteError);
      if (finalSubmit !== undefined && !finalClicked) target = target.or(finalSubmit);
      const shown = quiet(target.first().waitFor({ state: 'visible', timeout: remaining }));
      const winner = await Promise.race([shown.then((ok) => (ok ? 'shown' : 'timeout')), httpErrors.failed.then(() => 'http' as const)]);
      if (winner === 'timeout') throw new StepFailure(`no published link within ${this.#publishMs} ms after submitting`, true);
      const http = httpErrors.failure;
      if (winner === 'http' && http !== undefined) {
        throw new StepFailure(`the site answered HTTP ${http.status}${http.text === '' ? '' : `: ${http.text}`}`, http.status >= 500, { status: http.status });
      }
      if (await published.isVisible()) {
        progress.step = 'read the published link';
        const href = (await published.getAttribute('href')) ?? '';
        let url: URL;
        try {
          url = new URL(href, page.url());
        } catch {
          throw new StepFailure(`the published link "${oneLine(href, 100)}" is not a URL`, false);
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new StepFailure(`the published link "${oneLine(href, 100)}" is not a web URL`, false);
        return url.href;
      }
      if (await siteError.isVisible()) {
        const text = oneLine(await siteError.innerText(), 300);
        const status = httpErrors.failure?.status;
        throw new StepFailure(
          `the site reports an error${status === undefined ? '' : ` (HTTP ${status})`}: ${text || '(no text)'}`,
          status !== undefined && status >= 500,
          status === undefined ? {} : { status },
        );
      }
      if (finalSubmit !== undefined && !finalClicked && (await finalSubmit.isVisible())) {
        progress.step = 'tick the rights and terms boxes (second step)';
        await this.#tickConsents(page, true);
        progress.step = 'submit the second step';
        await this.#submit(finalSubmit, deadline, progress);
        finalClicked = true;
        progress.step = 'wait for the published link';
      }
      // Otherwise the element was replaced between the wait and the check: wait again.
    }
  }

  /**
   * Clicks a submit button. The button must exist within the action timeout
   * (a wrong selector fails fast), but it may stay disabled while a script
   * uploads the file, and Playwright's click waits until a navigation it
   * starts commits (a classic form post commits only when the server has the
   * whole file): so both get the time left until `deadline`.
   */
  async #submit(button: Locator, deadline: number, progress: Progress): Promise<void> {
    await button.waitFor({ state: 'attached' });
    try {
      await button.click({ timeout: Math.max(1, deadline - Date.now()) });
    } catch (error) {
      if (error instanceof playwrightErrors.TimeoutError) {
        throw new StepFailure(`no published link within ${this.#publishMs} ms after submitting (at "${progress.step}": the button stayed disabled or the file was still being sent)`, true);
      }
      throw error;
    }
  }

  async #screenshot(page: Page, file: ClipFile): Promise<string | undefined> {
    if (this.#screenshotDir === undefined) return undefined;
    const path = join(this.#screenshotDir, `rumble-${file.clipId.replace(/[^A-Za-z0-9_-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
    try {
      await mkdir(this.#screenshotDir, { recursive: true });
      await page.screenshot({ path, fullPage: true, timeout: Math.min(this.#actionMs, 10_000) });
      return path;
    } catch (error) {
      this.#log.warn({ destination: 'rumble', clipId: file.clipId, reason: firstLine(error) }, 'cannot take a screenshot of the failed upload');
      return undefined;
    }
  }

  #toError(error: unknown, progress: Progress, file: ClipFile, screenshot: string | undefined): Error {
    if (isStreamSuitesError(error)) return error;
    let reason: string;
    let retryable: boolean;
    let status: number | undefined;
    let cause: unknown;
    if (error instanceof StepFailure) {
      ({ reason, retryable, status } = error);
      cause = error.cause;
    } else if (error instanceof playwrightErrors.TimeoutError) {
      reason = `timed out at "${progress.step}": ${firstLine(error)}`;
      retryable = true;
      cause = error;
    } else {
      reason = `at "${progress.step}": ${firstLine(error)}`;
      retryable = true;
      cause = error;
    }
    return new SS_ERR_CLIPS_UPLOAD_FAILED('Rumble', this.#redactor.text(reason), {
      ...(cause === undefined ? {} : { cause: this.#redactor.error(cause) }),
      details: {
        destination: 'rumble',
        clipId: file.clipId,
        step: progress.step,
        retryable,
        ...(status === undefined ? {} : { status }),
        ...(screenshot === undefined ? {} : { screenshot }),
      },
    });
  }
}

interface HttpErrorWatch {
  /** Resolves when a page load of the main frame answers 4xx/5xx. */
  readonly failed: Promise<void>;
  readonly failure: { status: number; text: string } | undefined;
  dispose(): void;
}

/** Watches the main frame's page loads for an HTTP error (a form post answered 500, say). */
function watchHttpErrors(page: Page): HttpErrorWatch {
  let resolveFailed!: () => void;
  const failed = new Promise<void>((resolve) => (resolveFailed = resolve));
  const watch: { failure: { status: number; text: string } | undefined } = { failure: undefined };
  const onResponse = (response: Response): void => {
    const status = response.status();
    if (status < 400 || watch.failure !== undefined) return;
    const request = response.request();
    let mainFrame = false;
    try {
      mainFrame = request.isNavigationRequest() && request.frame() === page.mainFrame();
    } catch {
      return; // a service worker's request
    }
    if (!mainFrame) return;
    watch.failure = { status, text: '' };
    void response
      .text()
      .then((body) => (watch.failure = { status, text: oneLine(htmlText(body), 300) }))
      .catch(() => {})
      .finally(resolveFailed);
  };
  page.on('response', onResponse);
  return {
    failed,
    get failure() {
      return watch.failure;
    },
    dispose: () => void page.off('response', onResponse),
  };
}

/** Resolves true when `promise` does, false when it rejects (a lost race, a timeout, a closed page). */
function quiet(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => true,
    () => false,
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return oneLine(message.split('\n')[0] ?? message, 300);
}

function httpUrl(value: string, field: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new SS_ERR_CLIPS_DESTINATION_INVALID('rumble', `options.${field} must be an absolute http(s) URL`);
}

/** `https://rumble.com/c/StreamSuites` → `StreamSuites` (the last path segment). */
export function channelSlug(channelUrl: string): string {
  const segments = new URL(channelUrl).pathname.split('/').filter((part) => part !== '');
  return decodeURIComponent(segments.at(-1) ?? '');
}

function matchesChannel(value: string, label: string, slug: string, channelUrl: string): boolean {
  const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
  if (slug === '') return false;
  return (
    same(value, slug) ||
    same(label, slug) ||
    same(value, channelUrl) ||
    value.toLowerCase().endsWith(`/c/${slug.toLowerCase()}`) ||
    label.toLowerCase().endsWith(`(${slug.toLowerCase()})`)
  );
}
