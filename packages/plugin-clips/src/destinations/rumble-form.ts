/** Filling Rumble's upload form: the file, title, description, the channel to publish to, the rights/terms boxes, and submitting. */
import type { Locator, Page } from 'playwright-core';
import type { ClipFile } from '../types.js';
import { isPlaywrightTimeout, type Progress, StepFailure, type StepSettings } from './rumble-step.js';
import { renderTemplate } from './shared.js';

/** Everything up to the submit button: file, title, description (when configured and offered), channel, boxes. */
export async function fillUploadForm(s: StepSettings, page: Page, file: ClipFile, description: string | undefined, progress: Progress): Promise<void> {
  progress.step = 'set the file';
  await page.locator(s.selectors.fileInput).first().setInputFiles(file.path);
  progress.step = 'fill the title';
  await page.locator(s.selectors.title).first().fill(file.title);
  if (description !== undefined) {
    progress.step = 'fill the description';
    const field = page.locator(s.selectors.description).first();
    if ((await field.count()) > 0) await field.fill(renderTemplate(description, file));
  }
  progress.step = 'choose the channel';
  await chooseChannel(s, page);
  progress.step = 'tick the rights and terms boxes';
  await tickConsents(s, page, false);
}

/** Selects `channelUrl` in the channel list when the form has one; refuses to publish elsewhere. */
async function chooseChannel(s: StepSettings, page: Page): Promise<void> {
  if (s.selectors.channel === '') return;
  const select = page.locator(s.selectors.channel).first();
  if ((await select.count()) === 0) return;
  const slug = channelSlug(s.channelUrl);
  const options = select.locator('option');
  const offered: string[] = [];
  for (let index = 0, count = await options.count(); index < count; index += 1) {
    const option = options.nth(index);
    const value = (await option.getAttribute('value')) ?? '';
    const label = ((await option.textContent()) ?? '').trim();
    offered.push(label || value);
    if (matchesChannel(value, label, slug, s.channelUrl)) {
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
export async function tickConsents(s: StepSettings, page: Page, required: boolean): Promise<void> {
  for (const selector of s.selectors.consents) {
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

/**
 * Clicks a submit button. The button must exist within the action timeout
 * (a wrong selector fails fast), but it may stay disabled while a script
 * uploads the file, and Playwright's click waits until a navigation it
 * starts commits (a classic form post commits only when the server has the
 * whole file): so both get the time left until `deadline`.
 */
export async function clickSubmit(s: StepSettings, button: Locator, deadline: number, progress: Progress): Promise<void> {
  await button.waitFor({ state: 'attached' });
  try {
    await button.click({ timeout: Math.max(1, deadline - Date.now()) });
  } catch (error) {
    if (isPlaywrightTimeout(error)) {
      throw new StepFailure(`no published link within ${s.publishMs} ms after submitting (at "${progress.step}": the button stayed disabled or the file was still being sent)`, true);
    }
    throw error;
  }
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
