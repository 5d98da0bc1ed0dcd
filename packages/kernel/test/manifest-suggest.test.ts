import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogPackage, EMPTY_CATALOG, installedPackages, packageCore, suggestPackages } from '../src/manifest/packages.js';
import { didYouMean, editDistance, suggest, typoThreshold } from '../src/manifest/suggest.js';
import { tempTree } from './helpers/tmp.js';

describe('editDistance (optimal string alignment)', () => {
  it('counts inserts, deletes, substitutions, and a swap of neighbours as one edit', () => {
    expect(editDistance('twitch', 'twitch')).toBe(0);
    expect(editDistance('twich', 'twitch')).toBe(1); // insert
    expect(editDistance('twitchh', 'twitch')).toBe(1); // delete
    expect(editDistance('twotch', 'twitch')).toBe(1); // substitute
    expect(editDistance('twtich', 'twitch')).toBe(1); // swap
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3); // OSA: no edit of a swapped pair
  });

  it('is symmetric', () => {
    for (const [a, b] of [['youtube', 'twitch'], ['clips', 'clip'], ['@streamsuites/plugin-twich', '@streamsuites/plugin-twitch']] as const) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });

  it('with max, stops early with max + 1 and never under-reports', () => {
    expect(editDistance('youtube', 'twitch', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
    expect(editDistance('twtich', 'twitch', 2)).toBe(1);
    expect(editDistance('xab', 'abq', 0)).toBe(1); // 2 edits, but capped at max + 1
    expect(editDistance('youtube', 'twitch')).toBeGreaterThan(3);
  });
});

describe('suggest', () => {
  it('finds the declared id a typo meant', () => {
    expect(suggest('twtich', ['youtube', 'twitch', 'clips'])).toEqual(['twitch']);
    expect(suggest('clip', ['youtube', 'twitch', 'clips'])).toEqual(['clips']);
    expect(suggest('TWITCH', ['twitch'])).toEqual(['twitch']); // case-insensitive
  });

  it('suggests nothing for unrelated or very short names, nor the name itself', () => {
    expect(suggest('youtube', ['twitch', 'clips', 'exports'])).toEqual([]);
    expect(suggest('x', ['y', 'xy'])).toEqual([]);
    expect(suggest('twitch', ['twitch'])).toEqual([]);
    expect(suggest('discord', ['twitch', 'youtube', 'chatlog', 'engagement', 'exports', 'clips'])).toEqual([]);
  });

  it('keeps only the best distance, ties in candidate order, at most 3', () => {
    expect(suggest('clipz', ['clips', 'clipx', 'clip'])).toEqual(['clips', 'clipx', 'clip']);
    expect(suggest('clipz', ['clipsss', 'clips'])).toEqual(['clips']);
    expect(suggest('abcd', ['abce', 'abcf', 'abcg', 'abch'])).toHaveLength(3);
  });

  it('the threshold grows with the length, up to 3', () => {
    expect([2, 3, 5, 6, 9, 30].map(typoThreshold)).toEqual([0, 1, 1, 2, 3, 3]);
  });

  it('didYouMean phrases one or more names', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['twitch'])).toBe('Did you mean "twitch"?');
    expect(didYouMean(['a1', 'a2', 'a3'])).toBe('Did you mean "a1", "a2" or "a3"?');
  });
});

describe('package names', () => {
  // The kernel knows no package by name: the host passes the ones it trusts (the CLI: the official list of @streamsuites/defaults).
  const known = ['@streamsuites/plugin-twitch', '@streamsuites/plugin-youtube', '@streamsuites/plugin-clips'];

  it('suggests known and installed packages for a misspelt name, nothing for an unrelated one', () => {
    expect(suggestPackages('@streamsuites/plugin-twich', [], known)).toEqual(['@streamsuites/plugin-twitch']);
    expect(suggestPackages('@streamsuite/plugin-youtube', [], known)).toEqual(['@streamsuites/plugin-youtube']);
    expect(suggestPackages('@streamsuites/twitch', [], known)).toEqual(['@streamsuites/plugin-twitch']);
    expect(suggestPackages('streamsuites-plugin-clips', [], known)).toEqual(['@streamsuites/plugin-clips']);
    expect(suggestPackages('@acme/plugin-helo', ['@acme/plugin-hello', 'left-pad'], known)).toEqual(['@acme/plugin-hello']);
    expect(suggestPackages('left-pad', ['@acme/plugin-hello'], known)).toEqual([]);
    expect(suggestPackages('@acme/streamdeck-bridge', [], known)).toEqual([]);
    expect(packageCore('@streamsuites/plugin-twitch')).toBe('twitch');
  });

  it('with no known packages, suggests only installed ones', () => {
    expect(suggestPackages('@streamsuites/plugin-twich', [], [])).toEqual([]);
    expect(suggestPackages('@streamsuites/plugin-twich', ['@streamsuites/plugin-twitch'], [])).toEqual(['@streamsuites/plugin-twitch']);
  });

  it('catalogPackage names the package of a plugin id only when that package is one the catalog trusts', () => {
    const catalog = { packages: known, plugins: { twitch: '@streamsuites/plugin-twitch', deck: '@acme/streamdeck-bridge' } };
    expect(catalogPackage(catalog, 'twitch')).toBe('@streamsuites/plugin-twitch');
    expect(catalogPackage(catalog, 'deck')).toBeUndefined();
    expect(catalogPackage(catalog, 'youtube')).toBeUndefined();
    expect(catalogPackage(catalog, 'constructor')).toBeUndefined();
    expect(catalogPackage(EMPTY_CATALOG, 'twitch')).toBeUndefined();
  });

  it('installedPackages lists the node_modules entries Node would find from a folder, scoped ones too', async () => {
    const dir = await tempTree({
      'node_modules/left-pad/package.json': '{}',
      'node_modules/@acme/plugin-hello/package.json': '{}',
      'node_modules/.bin/x': '',
      'host/node_modules/@streamsuites/plugin-twitch/package.json': '{}',
      'host/manifest/streamsuites.json': '{}',
    });
    const found = installedPackages(join(dir, 'host', 'manifest'));
    expect(found).toEqual(expect.arrayContaining(['@acme/plugin-hello', '@streamsuites/plugin-twitch', 'left-pad']));
    expect(found.some((name) => name.startsWith('.'))).toBe(false);
  });
});
