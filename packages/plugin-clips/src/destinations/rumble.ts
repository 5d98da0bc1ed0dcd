import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { ClipDestination, ClipFile } from '../types.js';
import { RUMBLE_DEFAULTS, RUMBLE_SELECTORS, type RumbleDestinationOptions } from './config.js';
import { SS_ERR_CLIPS_DESTINATION_INVALID } from './errors.js';
import { launchChromium, newSessionContext, saveSession } from './rumble-browser.js';
import { screenshotFailure, uploadError } from './rumble-failure.js';
import { clickSubmit, fillUploadForm } from './rumble-form.js';
import { logIn, loginShown, openUploadForm } from './rumble-login.js';
import { awaitPublished, watchHttpErrors } from './rumble-publish.js';
import { type Progress, StepFailure, type StepSettings } from './rumble-step.js';
import { Redactor, aborted, assertReadableFile, safeUrl, silentLogger, type DestinationLogger } from './shared.js';

export { CHROMIUM_ARGS } from './rumble-browser.js';
export { channelSlug } from './rumble-form.js';

export interface RumbleDestinationDeps {
  log?: DestinationLogger;
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
 *
 * The page steps live beside this file: rumble-login (open the page, log
 * in), rumble-form (fill and submit), rumble-publish (wait for the link),
 * rumble-failure (screenshot, coded error), rumble-browser (Chromium, session).
 */
export class RumbleDestination implements ClipDestination {
  readonly kind = 'rumble';
  readonly #steps: StepSettings;
  readonly #chromiumPath: string;
  readonly #headless: boolean;
  readonly #sessionFile: string | undefined;
  readonly #screenshotDir: string | undefined;
  readonly #description: string | undefined;

  constructor(options: RumbleDestinationOptions = {}, deps: RumbleDestinationDeps = {}) {
    const uploadUrl = httpUrl(options.uploadUrl ?? RUMBLE_DEFAULTS.uploadUrl, 'uploadUrl');
    const channelUrl = httpUrl(options.channelUrl ?? RUMBLE_DEFAULTS.channelUrl, 'channelUrl');
    if ((options.username === undefined) !== (options.password === undefined)) {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('rumble', 'set both options.username and options.password, or neither');
    }
    this.#chromiumPath = options.chromiumPath ?? RUMBLE_DEFAULTS.chromiumPath;
    this.#headless = options.headless ?? RUMBLE_DEFAULTS.headless;
    this.#sessionFile = options.sessionFile === undefined ? undefined : resolve(options.sessionFile);
    this.#screenshotDir = options.screenshotDir === undefined ? undefined : resolve(options.screenshotDir);
    this.#description = options.description;
    const timeouts = { ...RUMBLE_DEFAULTS.timeouts, ...options.timeouts };
    this.#steps = {
      uploadUrl,
      channelUrl,
      username: options.username,
      password: options.password,
      selectors: { ...RUMBLE_SELECTORS, ...options.selectors },
      navigationMs: timeouts.navigationMs,
      actionMs: timeouts.actionMs,
      publishMs: timeouts.publishMs,
      navigationAttempts: options.navigationAttempts ?? RUMBLE_DEFAULTS.navigationAttempts,
      navigationBackoff: { ...RUMBLE_DEFAULTS.navigationBackoff, ...options.navigationBackoff },
      redactor: new Redactor([options.password]),
      log: deps.log ?? silentLogger,
    };
  }

  /** The settings in effect, without secrets (for logs and status pages). */
  describe(): Record<string, unknown> {
    const s = this.#steps;
    return {
      kind: this.kind,
      channelUrl: s.channelUrl,
      uploadUrl: safeUrl(s.uploadUrl),
      login: s.username === undefined ? 'none' : 'configured',
      chromiumPath: this.#chromiumPath,
      ...(this.#sessionFile === undefined ? {} : { sessionFile: this.#sessionFile }),
      ...(this.#screenshotDir === undefined ? {} : { screenshotDir: this.#screenshotDir }),
      timeouts: { navigationMs: s.navigationMs, actionMs: s.actionMs, publishMs: s.publishMs },
    };
  }

  async upload(file: ClipFile, signal: AbortSignal): Promise<{ url: string }> {
    const s = this.#steps;
    const what = `Rumble upload of clip ${file.clipId}`;
    if (signal.aborted) throw aborted(what, signal);
    await assertReadableFile('rumble', file);
    const started = Date.now();
    const browser = await launchChromium(this.#chromiumPath, this.#headless, s.navigationMs, s.redactor);
    const onAbort = (): void => void browser.close().catch(() => {});
    signal.addEventListener('abort', onAbort, { once: true });
    const progress: Progress = { step: 'open a browser page' };
    let page: Page | undefined;
    try {
      if (signal.aborted) throw aborted(what, signal);
      const context = await newSessionContext(browser, this.#sessionFile, s.log);
      page = await context.newPage();
      page.setDefaultTimeout(s.actionMs);
      page.setDefaultNavigationTimeout(s.navigationMs);

      await openUploadForm(s, page, progress, signal);
      if (await loginShown(s, page)) {
        await logIn(s, page, progress);
        await saveSession(context, this.#sessionFile, s.log);
        if ((await page.locator(s.selectors.fileInput).count()) === 0) await openUploadForm(s, page, progress, signal);
        if (await loginShown(s, page)) {
          throw new StepFailure('the upload page still asks for a login after logging in', false);
        }
      }

      await fillUploadForm(s, page, file, this.#description, progress);

      progress.step = 'submit the upload';
      const httpErrors = watchHttpErrors(page);
      const deadline = Date.now() + s.publishMs;
      try {
        await clickSubmit(s, page.locator(s.selectors.submit).first(), deadline, progress);
        progress.step = 'wait for the published link';
        const url = await awaitPublished(s, page, httpErrors, progress, deadline);
        await saveSession(context, this.#sessionFile, s.log);
        s.log.info({ destination: 'rumble', clipId: file.clipId, url, ms: Date.now() - started }, 'clip published on Rumble');
        return { url };
      } finally {
        httpErrors.dispose();
      }
    } catch (error) {
      if (signal.aborted) throw aborted(what, signal);
      const screenshot = page === undefined ? undefined : await screenshotFailure(page, file, this.#screenshotDir, s.actionMs, s.log);
      const failure = uploadError(error, progress, file, screenshot, s.redactor);
      s.log.warn({ destination: 'rumble', clipId: file.clipId, step: progress.step, reason: failure.message, screenshot }, 'Rumble upload failed');
      throw failure;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await browser.close().catch(() => {});
    }
  }
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
