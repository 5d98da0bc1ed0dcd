import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, reasonOf } from '../src/api/errors.js';
import { JsonArrayStream, MalformedJsonArray } from '../src/api/json-array-stream.js';
import { liveOf } from '../src/discovery.js';
import { SeenIds } from '../src/seen.js';
import { splitReply } from '../src/split.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/youtube/${name}`, import.meta.url), 'utf8')) as unknown;

describe('error classification', () => {
  it('reads the reason of real and documented error bodies, plain or wrapped in a streamList array', () => {
    expect(reasonOf(fixture('error.quotaExceeded.json'))).toBe('quotaExceeded');
    expect(reasonOf(fixture('error.liveChatDisabled.streamList-array.json'))).toBe('liveChatDisabled');
    expect(reasonOf(JSON.stringify(fixture('constructed-from-docs/error.liveChatEnded.constructed.json')))).toBe('liveChatEnded');
    expect(reasonOf('{"error":"invalid_grant","error_description":"Bad Request"}')).toBe('invalid_grant');
    expect(reasonOf('<html>502</html>')).toBeUndefined();
  });

  it('maps status + reason to what the caller should do', () => {
    const at = (status: number, body?: unknown) => classify({ response: { status, data: body } });
    expect(at(403, fixture('error.quotaExceeded.json')).kind).toBe('quota');
    expect(at(403, fixture('constructed-from-docs/error.rateLimitExceeded.constructed.json')).kind).toBe('rate');
    expect(at(429).kind).toBe('rate');
    for (const name of ['error.liveChatEnded.constructed.json', 'error.liveChatNotFound.constructed.json']) {
      expect(at(404, fixture(`constructed-from-docs/${name}`)).kind).toBe('chat-gone');
    }
    expect(at(403, fixture('error.liveChatDisabled.streamList-array.json')).kind).toBe('chat-gone');
    expect(at(403, fixture('constructed-from-docs/error.forbidden.constructed.json')).kind).toBe('auth');
    expect(at(401).kind).toBe('auth');
    expect(at(503).kind).toBe('transient');
    expect(classify({ code: 'ECONNREFUSED' })).toEqual({ kind: 'transient', status: 0, reason: 'ECONNREFUSED' });
    expect(at(400).kind).toBe('invalid');
    const invalidPageToken = { error: { code: 400, message: 'The request specifies an invalid page token.', errors: [{ message: 'The request specifies an invalid page token.', domain: 'youtube.parameter', reason: 'invalidPageToken' }] } };
    expect(at(400, invalidPageToken)).toEqual({ kind: 'page-token', status: 400, reason: 'invalidPageToken' });
  });

  it('reads a failed streamList body from the message (gaxios 8 leaves response.data empty for streams)', () => {
    // The shape gaxios 8 throws for responseType 'stream': a Response-like `response` without data, the body as the message.
    const streamError = (status: number, body: unknown) => Object.assign(new Error(JSON.stringify(body, null, 2)), { status, response: { status, data: undefined } });
    expect(classify(streamError(400, [{ error: { code: 400, errors: [{ reason: 'invalidPageToken' }] } }])).kind).toBe('page-token');
    expect(classify(streamError(403, fixture('error.liveChatDisabled.streamList-array.json')))).toMatchObject({ kind: 'chat-gone', reason: 'liveChatDisabled' });
    expect(classify(Object.assign(new Error('Request failed with status code 400'), { response: { status: 400 } })).kind).toBe('invalid');
  });
});

describe('JsonArrayStream', () => {
  it('emits each top-level element of a streamed array as soon as it is complete, whatever the chunking', () => {
    const docs = [{ a: 1, s: 'brace } in [text] "quoted" \\ slash' }, { items: [{ id: 'x' }, { id: 'y' }] }, { emoji: '😀', nested: { deep: [1, [2, [3]]] } }];
    const text = `[${docs.map((d) => JSON.stringify(d)).join(',\n')}]`;
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const parser = new JsonArrayStream();
      const out: unknown[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      expect(out, `chunks of ${size}`).toEqual(docs);
      expect(() => parser.end()).not.toThrow();
    }
  });

  // checked by dropping, one at a time, the bracket-type check (`this.#stack.pop() !== c`), the scalar-element check and end()'s check: fails each time
  it('throws MalformedJsonArray (never quoting the body) on anything but a complete array of objects', () => {
    const problems = (text: string): string | undefined => {
      const parser = new JsonArrayStream();
      try {
        parser.push(text);
        parser.end();
        return undefined;
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedJsonArray);
        expect((error as Error).message).not.toContain('secret');
        return (error as Error).message;
      }
    };
    expect(problems('[{"a": "secret"}]')).toBeUndefined();
    expect(problems(' \n[ ]\n')).toBeUndefined();
    expect(problems('<html>secret</html>')).toMatch(/not a JSON array/);
    expect(problems('')).toMatch(/empty/);
    expect(problems('[{"a": "secret"')).toMatch(/truncated/);
    expect(problems('[{"a": "secret"},')).toMatch(/before the closing/);
    expect(problems('[{"a": ["secret"}]]')).toMatch(/brackets do not match/);
    expect(problems('[{"a": "secret",}]')).toMatch(/not valid JSON/);
    expect(problems('["secret"]')).toMatch(/not a JSON object/);
    expect(problems('[{"a": 1}] {"b": "secret"}')).toMatch(/after the end/);
  });
});

describe('small pieces', () => {
  it('splitReply keeps messages within 200 code points, on word boundaries', () => {
    expect(splitReply('hello   world')).toEqual(['hello world']);
    const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const parts = splitReply(long);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect([...part].length).toBeLessThanOrEqual(200);
    expect(parts.join(' ')).toBe(long);
    expect(splitReply('😀'.repeat(250)).map((p) => [...p].length)).toEqual([200, 50]);
    expect(splitReply('   ')).toEqual([]);
  });

  it('SeenIds drops repeats, keeps the newest ids, and restores from its array', () => {
    const seen = new SeenIds(3);
    expect(['a', 'b', 'a', 'c', 'd', 'e'].map((id) => seen.add(id))).toEqual([true, true, false, true, true, true]);
    expect(seen.toArray()).toEqual(['c', 'd', 'e']);
    const restored = new SeenIds(3, seen.toArray());
    expect([restored.add('e'), restored.add('b')]).toEqual([false, true]);
  });

  it('liveOf picks the live video from real videos.list bodies and skips upcoming or ended ones', () => {
    const live = fixture('videos.list.liveStreamingDetails.live-2022.json') as { items: never[] };
    const upcoming = fixture('videos.list.liveStreamingDetails.upcoming-2018.json') as { items: never[] };
    const target = liveOf(live.items);
    expect(target?.liveChatId).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(target?.videoId).toBe('jfKfPfyJRdk');
    expect(liveOf(upcoming.items)).toBeUndefined();
    expect(liveOf([{ liveStreamingDetails: { activeLiveChatId: 'x', actualEndTime: '2026-01-01T00:00:00Z' } }])).toBeUndefined();
  });
});
