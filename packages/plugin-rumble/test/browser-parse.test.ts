/** Browser mode's pure parts: rows read off the page → entries, badge names, rant prices, page labels, Chromium lookup. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../src/browser/chromium.js';
import { attachExpression } from '../src/browser/observer-script.js';
import { pageLabel } from '../src/browser/page-errors.js';
import { badgeName, priceCents, readReport, toEntry, type RawRow } from '../src/browser/parse.js';
import { DEFAULT_SELECTORS } from '../src/config.js';
import { SS_ERR_RUMBLE_BROWSER } from '../src/errors.js';

const row = (over: Partial<RawRow> = {}): RawRow => ({ id: '42', username: 'alice', text: 'hi', badges: [], price: null, ...over });

describe('priceCents', () => {
  it.each([
    ['$2', 200],
    ['$1.50', 150],
    ['$1.5', 150],
    ['$0.99', 99],
    [' $ 10 ', 1000],
    ['$1,000', 100_000],
    ['$12,345.67', 1_234_567],
    ['US$5', 500],
    ['$5 USD', 500],
  ])('%j → %i cents', (text, cents) => {
    expect(priceCents(text)).toBe(cents);
  });

  it.each(['', '2', '€2', '$', '$1.234', '$1,00', 'two dollars', '$-1', '$1e3'])('%j is not a price', (text) => {
    expect(priceCents(text)).toBeUndefined();
  });
});

describe('badgeName', () => {
  it('maps the page badge names to the API names, other names lowercased with dashes', () => {
    expect(badgeName('Moderator')).toBe('moderator');
    expect(badgeName('Rumble Premium User')).toBe('premium');
    expect(badgeName('Admin')).toBe('admin');
    expect(badgeName('Verified')).toBe('verified');
    expect(badgeName('Supporter+')).toBe('supporter+');
    expect(badgeName('Whale  Blue')).toBe('whale-blue');
    expect(badgeName('  ')).toBeUndefined();
  });
});

describe('toEntry', () => {
  it('builds a browser entry with lowercase, deduplicated badges and the message id', () => {
    expect(toEntry(row({ badges: ['Admin', 'admin', 'Rumble Premium User'] }))).toEqual({
      ok: true,
      entry: { source: 'browser', username: 'alice', text: 'hi', badges: ['admin', 'premium'], platformId: '42' },
    });
  });

  it('a rant row carries its amount; an unreadable price keeps the message and says so', () => {
    expect(toEntry(row({ price: '$2' }))).toMatchObject({ ok: true, entry: { rant: { amountCents: 200 } } });
    const bad = toEntry(row({ price: '€2' }));
    expect(bad).toEqual({ ok: true, badPrice: '€2', entry: { source: 'browser', username: 'alice', text: 'hi', badges: [], platformId: '42' } });
  });

  it('names the missing part; a row without an id has no platformId', () => {
    expect(toEntry(row({ username: null }))).toEqual({ ok: false, missing: 'username' });
    expect(toEntry(row({ text: null }))).toEqual({ ok: false, missing: 'messageText' });
    const result = toEntry(row({ id: null }));
    expect(result.ok && 'platformId' in result.entry).toBe(false);
  });
});

describe('readReport', () => {
  it('keeps well-formed rows in order and counts the rest', () => {
    const payload = { rows: [row({ id: '1' }), { id: 2 }, row({ id: '3' }), null, row({ badges: [1] as unknown as string[] })], relisted: 4 };
    const report = readReport(payload);
    expect(report.rows.map((r) => r.id)).toEqual(['1', '3']);
    expect(report.invalid).toBe(3);
    expect(report.relisted).toBe(4);
    expect(readReport([row()])).toEqual({ rows: [], invalid: 1 });
    expect(readReport('x')).toEqual({ rows: [], invalid: 1 });
  });
});

describe('pageLabel', () => {
  it('drops the query string and the fragment', () => {
    expect(pageLabel('https://rumble.com/chat/popup/123?key=secret#x')).toBe('https://rumble.com/chat/popup/123');
    expect(pageLabel('not a url?key=secret')).toBe('not a url');
  });
});

describe('attachExpression', () => {
  it('embeds the selectors as JSON (a quote in a selector cannot break out of the script)', () => {
    const expression = attachExpression({ ...DEFAULT_SELECTORS, chatList: `ul[data-x="a'b"]` });
    expect(expression).toContain(JSON.stringify(`ul[data-x="a'b"]`));
    // Compiles (not run): a syntax error in the script or its arguments would throw here.
    expect(() => new Function(`return ${expression}`)).not.toThrow();
  });
});

describe('findChromium', () => {
  const failure = (run: () => unknown): Error | undefined => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    return undefined;
  };

  it('a configured path must exist: no silent fallback to another browser', () => {
    const error = failure(() => findChromium('daniel', '/nonexistent/chromium'));
    expect(SS_ERR_RUMBLE_BROWSER.is(error)).toBe(true);
    expect(error?.message).toContain('/nonexistent/chromium');
  });

  it('takes a configured path that exists, else the default path, else chromium / chromium-browser / google-chrome on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-rumble-chromium-'));
    try {
      const [bin1, bin2] = [join(dir, 'a'), join(dir, 'b')];
      mkdirSync(bin1);
      mkdirSync(bin2);
      const mine = join(dir, 'my-chromium');
      writeFileSync(mine, '');
      writeFileSync(join(bin1, 'google-chrome'), '');
      writeFileSync(join(bin2, 'chromium-browser'), '');
      const env = { PATH: [bin1, bin2].join(delimiter) };
      const missingDefault = join(dir, 'no-default');
      expect(findChromium('daniel', mine, { env, defaultPath: missingDefault })).toBe(mine);
      expect(findChromium('daniel', undefined, { env, defaultPath: mine })).toBe(mine);
      // chromium-browser is looked for before google-chrome, whatever the PATH order.
      expect(findChromium('daniel', undefined, { env, defaultPath: missingDefault })).toBe(join(bin2, 'chromium-browser'));
      const error = failure(() => findChromium('daniel', undefined, { env: { PATH: '' }, defaultPath: missingDefault }));
      expect(SS_ERR_RUMBLE_BROWSER.is(error)).toBe(true);
      expect(error?.message).toContain(missingDefault);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
