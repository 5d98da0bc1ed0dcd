/**
 * The fake's bodies against the vendored fixtures: every field path of
 * Rumble's FAQ example and of the constructed field inventory is served, in
 * the same key order, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { GET_DATA_TEMPLATE } from '../src/fake/api-template.js';
import { type FakeRumbleApi, startFakeRumbleApi } from '../src/testing.js';

const FIXTURES = {
  faq: new URL('../fixtures/get-data.faq-example.json', import.meta.url),
  constructed: new URL('../fixtures/constructed-from-docs/get-data.live.field-inventory.constructed.json', import.meta.url),
};

function load(file: URL): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every field path (`a.b[].c`), an array's elements merged under `[]`. */
function paths(value: unknown, prefix = '$', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) paths(v, `${prefix}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${prefix}.${k}`);
      paths(v, `${prefix}.${k}`, out);
    }
  }
  return out;
}

/** Each object's key list by path (an array's elements under `[]`, one entry per element). */
function keyOrders(value: unknown, prefix = '$', out: [string, string[]][] = []): [string, string[]][] {
  if (Array.isArray(value)) {
    for (const v of value) keyOrders(v, `${prefix}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    out.push([prefix, Object.keys(value)]);
    for (const [k, v] of Object.entries(value)) keyOrders(v, `${prefix}.${k}`, out);
  }
  return out;
}

const open: FakeRumbleApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

/** A body with every list and latest_* filled. */
async function fullBody(): Promise<unknown> {
  const api = await startFakeRumbleApi({ now: () => Date.UTC(2024, 9, 1, 16, 5, 1) });
  open.push(api);
  const ch = api.addChannel('k1', { channelName: 'Chan', channelId: 'c1' });
  ch.goLive({ id: '6abcde', categories: { primary: { slug: 'gaming', title: 'Gaming' }, secondary: { slug: 'simulators', title: 'Simulators' } } });
  ch.say({ username: 'A', text: 'hi', badges: ['premium'] });
  ch.say({ username: 'B', text: 'yo' });
  ch.rant({ username: 'R', text: 'rant', amountCents: 200, badges: ['whale-gray'] });
  ch.follow('F');
  ch.subscribe('S');
  ch.giftSubs('G', 3);
  const res = await fetch(`${api.origin}/-livestream-api/get-data?key=k1`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('fixture coverage', () => {
  for (const [name, file] of Object.entries(FIXTURES)) {
    it(`serves every field path of the ${name} fixture`, async () => {
      const served = paths(await fullBody());
      const missing = [...paths(load(file))].filter((p) => !served.has(p));
      expect(missing).toEqual([]);
    });

    it(`orders keys as the ${name} fixture does`, async () => {
      const served = new Map(keyOrders(await fullBody()));
      for (const [path, keys] of keyOrders(load(file))) {
        const got = served.get(path);
        expect(got, path).toBeDefined();
        expect(got!.filter((k) => keys.includes(k)), path).toEqual(keys.filter((k) => got!.includes(k)));
      }
    });
  }

  it('serves no field outside the fixtures except the filled-in gifted-sub entries', async () => {
    const known = new Set([...paths(load(FIXTURES.faq)), ...paths(load(FIXTURES.constructed))]);
    const extra = [...paths(await fullBody())].filter((p) => !known.has(p));
    expect(extra.every((p) => /^\$\.gifted_subs\.(latest_gifted_sub|recent_gifted_subs\[\])\./.test(p)), extra.join(', ')).toBe(true);
    expect(extra.length).toBeGreaterThan(0);
  });

  it('embeds a template with the constructed inventory\'s paths in its order', () => {
    const constructed = load(FIXTURES.constructed);
    const template = new Map(keyOrders(GET_DATA_TEMPLATE));
    for (const p of paths(constructed)) expect(paths(GET_DATA_TEMPLATE).has(p), p).toBe(true);
    for (const [path, keys] of keyOrders(constructed)) expect(template.get(path), path).toEqual(keys);
  });
});
