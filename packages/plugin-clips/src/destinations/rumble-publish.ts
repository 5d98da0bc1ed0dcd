/** After submitting on Rumble: waiting for the published link, a site error, a failed page load, or the second step. */
import type { Page, Response } from 'playwright-core';
import { clickSubmit, tickConsents } from './rumble-form.js';
import { type Progress, quiet, StepFailure, type StepSettings } from './rumble-step.js';
import { htmlText, oneLine } from './shared.js';

export interface HttpErrorWatch {
  /** Resolves when a page load of the main frame answers 4xx/5xx. */
  readonly failed: Promise<void>;
  readonly failure: { status: number; text: string } | undefined;
  dispose(): void;
}

/** Watches the main frame's page loads for an HTTP error (a form post answered 500, say). */
export function watchHttpErrors(page: Page): HttpErrorWatch {
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

/** After submit: the published link, an error shown by the site, a failed page load, or the second step's button. */
export async function awaitPublished(s: StepSettings, page: Page, httpErrors: HttpErrorWatch, progress: Progress, deadline: number): Promise<string> {
  const published = page.locator(s.selectors.published).first();
  const siteError = page.locator(s.selectors.error).first();
  const finalSubmit = s.selectors.finalSubmit === '' ? undefined : page.locator(s.selectors.finalSubmit).first();
  let finalClicked = false;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new StepFailure(`no published link within ${s.publishMs} ms after submitting`, true);
    let target = published.or(siteError);
    if (finalSubmit !== undefined && !finalClicked) target = target.or(finalSubmit);
    const shown = quiet(target.first().waitFor({ state: 'visible', timeout: remaining }));
    const winner = await Promise.race([shown.then((ok) => (ok ? 'shown' : 'timeout')), httpErrors.failed.then(() => 'http' as const)]);
    if (winner === 'timeout') throw new StepFailure(`no published link within ${s.publishMs} ms after submitting`, true);
    const http = httpErrors.failure;
    if (winner === 'http' && http !== undefined) {
      throw new StepFailure(`the site answered HTTP ${http.status}${http.text === '' ? '' : `: ${http.text}`}`, http.status >= 500, { status: http.status });
    }
    if (await published.isVisible()) {
      progress.step = 'read the published link';
      return publishedUrl((await published.getAttribute('href')) ?? '', page.url());
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
      await tickConsents(s, page, true);
      progress.step = 'submit the second step';
      await clickSubmit(s, finalSubmit, deadline, progress);
      finalClicked = true;
      progress.step = 'wait for the published link';
    }
    // Otherwise the element was replaced between the wait and the check: wait again.
  }
}

/** The link's absolute http(s) URL. */
function publishedUrl(href: string, pageUrl: string): string {
  let url: URL;
  try {
    url = new URL(href, pageUrl);
  } catch {
    throw new StepFailure(`the published link "${oneLine(href, 100)}" is not a URL`, false);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new StepFailure(`the published link "${oneLine(href, 100)}" is not a web URL`, false);
  return url.href;
}
