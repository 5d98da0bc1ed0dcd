/** The coded errors browser mode raises about one chat page, with the page's URL never carrying its query string. */
import type { RumbleSelectors } from '../config.js';
import { SS_ERR_RUMBLE_BROWSER, SS_ERR_RUMBLE_SELECTOR_MISSING } from '../errors.js';
import { firstLine } from './chromium.js';

/** Which creator and page an error is about. */
export interface PageRef {
  creatorId: string;
  chatUrl: string;
  /** pageLabel(chatUrl) */
  page: string;
  selectors: RumbleSelectors;
}

/** The page's URL as errors and logs name it: no query string (it may carry tokens) and no fragment. */
export function pageLabel(chatUrl: string): string {
  try {
    const url = new URL(chatUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return chatUrl.split(/[?#]/, 1)[0] ?? '';
  }
}

export const isTimeout = (error: unknown): boolean => error instanceof Error && error.name === 'TimeoutError';

const isCoded = (error: unknown): error is Error => {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SS_ERR_');
};

/** Playwright quotes the URL it navigated to: the full chat URL becomes the page label. */
export function redact(ref: PageRef, text: string): string {
  return text.split(ref.chatUrl).join(ref.page);
}

/** A cause errors can carry: same name, first line of the message (no playwright call log), redacted. */
export function redactError(ref: PageRef, error: unknown): Error {
  const redacted = new Error(redact(ref, firstLine(error)));
  redacted.name = error instanceof Error ? error.name : 'Error';
  return redacted;
}

export function selectorMissing(ref: PageRef, name: keyof RumbleSelectors, cause?: unknown): Error {
  const selector = ref.selectors[name];
  return new SS_ERR_RUMBLE_SELECTOR_MISSING(name, selector, ref.page, {
    ...(cause === undefined ? {} : { cause: redactError(ref, cause) }),
    details: { creatorId: ref.creatorId, name, selector, page: ref.page },
  });
}

/** SS_ERR_RUMBLE_BROWSER saying what went wrong at `what` (`cannot open the chat page`, `send`...). */
export function browserError(ref: PageRef, what: string, cause?: unknown, details: Record<string, unknown> = {}): Error {
  const reason = cause === undefined ? what : `${what}: ${redact(ref, firstLine(cause))}`;
  return new SS_ERR_RUMBLE_BROWSER(ref.creatorId, reason, {
    ...(cause === undefined ? {} : { cause: redactError(ref, cause) }),
    details: { creatorId: ref.creatorId, page: ref.page, ...details },
  });
}

/** A coded error passes through; anything else (playwright's) becomes SS_ERR_RUMBLE_BROWSER for `step`. */
export function coded(ref: PageRef, step: 'start' | 'send', error: unknown): Error {
  if (isCoded(error)) return error;
  return browserError(ref, `${step} ${isTimeout(error) ? 'timed out' : 'failed'} on ${ref.page}`, error);
}
