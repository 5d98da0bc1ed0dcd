/** Opening Rumble's upload page (retrying network errors and 5xx), and logging in when it asks. */
import type { Page } from 'playwright-core';
import { backoffDelay } from '@streamsuites/kernel';
import { firstLine, isPlaywrightTimeout, type Progress, quiet, StepFailure, type StepSettings } from './rumble-step.js';
import { abortableDelay, oneLine, safeUrl } from './shared.js';

/** Loads the upload page (retrying network errors and 5xx) until it shows the upload form or a login form. */
export async function openUploadForm(s: StepSettings, page: Page, progress: Progress, signal: AbortSignal): Promise<void> {
  progress.step = 'open the upload page';
  for (let attempt = 1; ; attempt += 1) {
    let reason: string;
    try {
      const response = await page.goto(s.uploadUrl, { waitUntil: 'domcontentloaded' });
      const status = response?.status() ?? 200;
      progress.pageStatus = status;
      if (status < 500) break;
      reason = `HTTP ${status}`;
    } catch (error) {
      if (signal.aborted) throw error;
      reason = firstLine(error);
    }
    if (attempt >= s.navigationAttempts) {
      throw new StepFailure(
        `cannot load the upload page ${safeUrl(s.uploadUrl)} (${attempt} attempt${attempt === 1 ? '' : 's'}): ${reason}`,
        true,
        progress.pageStatus === undefined || progress.pageStatus < 500 ? {} : { status: progress.pageStatus },
      );
    }
    const waitMs = backoffDelay(s.navigationBackoff, attempt);
    s.log.warn({ destination: 'rumble', url: safeUrl(s.uploadUrl), attempt, waitMs, reason: s.redactor.text(reason) }, 'Rumble upload page did not load, retrying');
    await abortableDelay(waitMs, signal, 'Rumble upload');
  }
  progress.step = 'find the upload form';
  const form = page.locator(s.selectors.fileInput).or(page.locator(s.selectors.username)).first();
  try {
    await form.waitFor({ state: 'attached', timeout: s.navigationMs });
  } catch (error) {
    if (!isPlaywrightTimeout(error)) throw error;
    const title = await page.title().catch(() => '');
    throw new StepFailure(
      `the page ${safeUrl(page.url())} (HTTP ${progress.pageStatus ?? '?'}${title === '' ? '' : `, "${oneLine(title, 80)}"`}) shows neither the upload form nor a login form`,
      false,
    );
  }
}

export async function loginShown(s: StepSettings, page: Page): Promise<boolean> {
  return page.locator(s.selectors.username).first().isVisible();
}

export async function logIn(s: StepSettings, page: Page, progress: Progress): Promise<void> {
  progress.step = 'log in';
  if (s.username === undefined || s.password === undefined) {
    throw new StepFailure('the upload page asks for a login, but no username and password are configured', false);
  }
  await page.locator(s.selectors.username).first().fill(s.username);
  await page.locator(s.selectors.password).first().fill(s.password);
  const loginError = page.locator(s.selectors.loginError).first();
  // Either the page navigates (the usual form post) or the script shows an error in place.
  const navigated = quiet(page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: s.navigationMs }));
  const rejectedInPlace = quiet(loginError.waitFor({ state: 'visible', timeout: s.navigationMs }));
  await page.locator(s.selectors.loginSubmit).first().click();
  const outcome = await Promise.race([navigated.then((ok) => (ok ? 'navigated' : 'timeout')), rejectedInPlace.then((ok) => (ok ? 'rejected' : 'timeout'))]);
  if (outcome === 'timeout') throw new StepFailure(`the login page did not answer within ${s.navigationMs} ms`, true);
  if (outcome === 'navigated') await page.waitForLoadState('domcontentloaded');
  if (await loginShown(s, page)) {
    const message = (await loginError.isVisible()) ? oneLine(await loginError.innerText(), 200) : 'the login form is shown again';
    throw new StepFailure(`the login was rejected: ${message}`, false);
  }
}
