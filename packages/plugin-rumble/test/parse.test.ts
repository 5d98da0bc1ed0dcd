import { readFileSync } from 'node:fs';
import type { ManifestIssue } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import rumblePlugin, { keyedUrlProblem, parseBody, parseKeyedUrl } from '../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('parseBody on Rumble bodies', () => {
  it("reads Rumble's own FAQ example as sent (mixed offsets, trailing spaces, rants, null channel)", () => {
    const result = parseBody(fixture('get-data.faq-example.json'));
    if (!result.ok) throw new Error(result.problem);
    const { body, skipped } = result;
    expect(skipped).toEqual([]);
    expect(body.now).toBe(1695059500 * 1000);
    expect(body.maxResults).toBe(50);
    expect(body.followersTotal).toBe(362);
    // `2023-09-17T20:43:56-04:00` is 00:43:56 UTC the next day.
    expect(new Date(body.followers[0]!.at).toISOString()).toBe('2023-09-18T00:43:56.000Z');
    expect(body.followers.map((f) => f.username)).toEqual(['UserNameA', 'UserNameB', 'UserNameC']);
    expect(body.subscribers.map((s) => [s.username, s.amountCents])).toEqual([
      ['UserNameE', 500],
      ['UserNameF', 500],
      ['UserNameG', 500],
    ]);
    const [stream] = body.livestreams;
    expect(stream).toMatchObject({ id: 'XXXXX', title: 'Title of Live Stream', isLive: true, category: 'Gaming', watchingNow: 19 });
    expect(stream!.createdAt).toBe(Date.parse('2023-09-18T17:51:19Z'));
    expect(stream!.messages).toEqual([
      { username: 'UserNameA', text: 'This is my chat message', badges: ['admin', 'premium', 'whale-blue'], createdAt: Date.parse('2023-09-18T17:51:08Z'), createdOn: '2023-09-18T17:51:08+00:00' },
    ]);
    expect(stream!.rants.map((r) => [r.username, r.amountCents])).toEqual([
      ['UserNameB', 100],
      ['UserNameC', 100],
      ['UserNameD', 100],
    ]);
  });

  it('reads the constructed field inventory (null latest_subscriber, empty badges, extra fields ignored)', () => {
    const result = parseBody(fixture('constructed-from-docs/get-data.live.field-inventory.constructed.json'));
    if (!result.ok) throw new Error(result.problem);
    expect(result.skipped).toEqual([]);
    expect(result.body.username).toBe('ConstructedStreamer');
    expect(result.body.subscribers).toEqual([]);
    expect(result.body.livestreams[0]!.messages.map((m) => [m.username, m.text, m.badges])).toEqual([
      ['ChatterA', 'hello chat', ['premium']],
      ['ChatterB', 'second 🎉 message', []],
    ]);
  });

  it('skips and names each bad entry, keeping the rest of the poll', () => {
    const body = JSON.parse(fixture('get-data.faq-example.json')) as { livestreams: { chat: { recent_messages: unknown[]; recent_rants: unknown[] } }[]; followers: { recent_followers: unknown[] } };
    const chat = body.livestreams[0]!.chat;
    chat.recent_messages.push(
      { username: 'NoTime', text: 'x', badges: [] },
      { username: 'BadTime', text: 'x', created_on: 'yesterday' },
      { username: 'NumberText', text: 42, created_on: '2023-09-18T17:51:08+00:00' },
      'not an object',
      { username: 'Fine', text: 'kept', created_on: '2023-09-18T17:52:00+00:00', badges: [null, 7, 'Moderator'] },
    );
    chat.recent_rants.push({ username: 'Free', text: 'zero', created_on: '2023-09-18T17:51:08+00:00', amount_cents: 0 });
    body.followers.recent_followers.push({ username: 'Timeless' });
    const result = parseBody(JSON.stringify(body));
    if (!result.ok) throw new Error(result.problem);
    expect(result.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['followers.recent_followers[3]', '"followed_on" is not an RFC 3339 time'],
      ['livestreams[0].chat.recent_messages[1]', '"created_on" is not an RFC 3339 time'],
      ['livestreams[0].chat.recent_messages[2]', '"created_on" is not an RFC 3339 time'],
      ['livestreams[0].chat.recent_messages[3]', '"text" is missing'],
      ['livestreams[0].chat.recent_messages[4]', 'not an object'],
      ['livestreams[0].chat.recent_rants[3]', '"amount_cents" is not a whole number > 0'],
    ]);
    const messages = result.body.livestreams[0]!.messages;
    expect(messages.map((m) => m.username)).toEqual(['UserNameA', 'Fine']);
    expect(messages[1]!.badges).toEqual(['moderator']);
  });

  it.each([
    ['not JSON', '{"now": 1', /^not JSON/],
    ['an array', '[]', /expected a JSON object, got an array/],
    ['no livestreams', '{"now": 1}', /"livestreams" is missing/],
    ['no now', '{"livestreams": []}', /"now" is missing/],
  ])('fails the whole body when it is %s', (_name, text, problem) => {
    const result = parseBody(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(problem);
  });

  it('an offline channel is `livestreams: []` with null latest_* blocks', () => {
    const result = parseBody(JSON.stringify({ now: 1, followers: { num_followers: 0, latest_follower: null, recent_followers: [] }, livestreams: [] }));
    expect(result.ok && result.body.livestreams).toEqual([]);
  });
});

describe('the keyed Live Stream API URL', () => {
  const KEY = 'Sup3rSecretKey_4815162342';

  it.each([
    [undefined, 'apiUrl is missing'],
    ['not a url', 'apiUrl is not a URL'],
    [`http://rumble.com/-livestream-api/get-data?key=${KEY}`, 'apiUrl must use https'],
    [`https://rumble.com.evil.example/-livestream-api/get-data?key=${KEY}`, 'apiUrl must be on rumble.com or www.rumble.com'],
    [`https://127.0.0.1:8080/-livestream-api/get-data?key=${KEY}`, 'set plugins.rumble.config.apiOrigin instead'],
    ['https://rumble.com/-livestream-api/get-data', 'apiUrl has no key'],
    ['https://rumble.com/-livestream-api/get-data?key=', 'apiUrl has no key'],
    [`https://user:${KEY}@rumble.com/-livestream-api/get-data?key=${KEY}`, 'must not carry a user name or password'],
  ])('%s is refused without echoing the key', (url, problem) => {
    const answer = keyedUrlProblem(url);
    expect(answer).toContain(problem);
    expect(answer).not.toContain(KEY);
  });

  it('accepts rumble.com and www.rumble.com, and keeps path and query for the request', () => {
    expect(keyedUrlProblem(`https://www.rumble.com/-livestream-api/get-data?key=${KEY}`)).toBeUndefined();
    expect(parseKeyedUrl(` https://rumble.com/-livestream-api/get-data?key=${KEY} `)).toEqual({
      url: `https://rumble.com/-livestream-api/get-data?key=${KEY}`,
      key: KEY,
      pathAndQuery: `/-livestream-api/get-data?key=${KEY}`,
    });
  });

  it('validation (as `streamsuites validate` runs it) reports every creator with a bad URL at its JSON path, without the key', async () => {
    const error = await startTestKernel({
      plugins: [rumblePlugin],
      env: { MAYA_URL: `http://rumble.com/-livestream-api/get-data?key=${KEY}` },
      start: false,
      manifest: {
        creators: {
          daniel: { enable: ['rumble'], config: { rumble: { apiUrl: 'https://rumble.com/-livestream-api/get-data' } } },
          maya: { enable: ['rumble'], config: { rumble: { apiUrl: '${env:MAYA_URL}' } } },
          ok: { enable: ['rumble'], config: { rumble: { apiUrl: `https://rumble.com/-livestream-api/get-data?key=${KEY}` } } },
          browserOnly: { enable: ['rumble'], config: { rumble: { mode: 'browser' } } },
        },
      },
    }).then(
      () => undefined,
      (e: unknown) => e as { code: string; details: { issues: ManifestIssue[] } },
    );
    expect(error?.code).toBe('SS_ERR_MANIFEST_INVALID');
    const issues = error!.details.issues.filter((i) => i.code === 'SS_ERR_RUMBLE_CONFIG');
    expect(issues.map((i) => i.path)).toEqual(['/creators/daniel/config/rumble/apiUrl', '/creators/maya/config/rumble/apiUrl', '/creators/browserOnly/config/rumble/browser']);
    expect(issues[0]!.message).toContain('apiUrl has no key');
    expect(issues[1]!.message).toContain('apiUrl must use https');
    expect(JSON.stringify(error)).not.toContain(KEY);
  });
});
