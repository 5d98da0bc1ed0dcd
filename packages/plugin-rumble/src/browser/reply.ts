/** Typing one reply into the chat page's box and sending it. */
import type { Page } from 'playwright-core';
import { SS_ERR_RUMBLE_SEND_UNAVAILABLE } from '../errors.js';
import { isTimeout, redactError, selectorMissing, type PageRef } from './page-errors.js';

/**
 * Fills the chat box and sends: a click on `sendButton`, or, when that
 * selector matches nothing, Enter in the box (Rumble's box sends on Enter
 * too, so a renamed button does not stop replies; `onEnterFallback` lets the
 * caller log it). Resolves once the page has emptied the box, as Rumble does
 * when it takes a message; a page that keeps the text (a refused message)
 * makes it time out.
 *
 * Throws SS_ERR_RUMBLE_SELECTOR_MISSING (`chatInput` matches nothing),
 * SS_ERR_RUMBLE_SEND_UNAVAILABLE (the box is there but not editable within
 * `timeoutMs`: not logged in, chat closed), else playwright's error (the
 * caller codes it).
 */
export async function typeReply(page: Page, ref: PageRef, text: string, timeoutMs: number, onEnterFallback: () => void): Promise<void> {
  const { selectors } = ref;
  const inputs = page.locator(selectors.chatInput);
  if ((await inputs.count()) === 0) throw selectorMissing(ref, 'chatInput');
  const input = inputs.first();
  try {
    await input.fill(text, { timeout: timeoutMs });
  } catch (error) {
    if (!isTimeout(error)) throw error;
    throw new SS_ERR_RUMBLE_SEND_UNAVAILABLE(
      ref.creatorId,
      `the chat box (${selectors.chatInput}) did not become editable within ${timeoutMs} ms: is the profile logged in to Rumble and the chat open?`,
      { cause: redactError(ref, error), details: { creatorId: ref.creatorId, page: ref.page } },
    );
  }
  const buttons = page.locator(selectors.sendButton);
  if ((await buttons.count()) > 0) {
    await buttons.first().click({ timeout: timeoutMs });
  } else {
    onEnterFallback();
    await input.press('Enter', { timeout: timeoutMs });
  }
  await page.waitForFunction(
    `(() => { const el = document.querySelector(${JSON.stringify(selectors.chatInput)}); return el === null || ('value' in el ? el.value === '' : el.textContent === ''); })()`,
    undefined,
    { timeout: timeoutMs },
  );
}
