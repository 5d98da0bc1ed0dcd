/**
 * The fake's wire payloads against the vendored samples (test/fixtures/discord,
 * see SOURCES.md there): every field a sample carries is present in what the
 * fake sends, with the same JSON type. A raw `ws` client speaks the gateway so
 * the frames are checked as sent.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type FakeDiscord, startFakeDiscord } from '../src/testing.js';

const GUILD = '290926798626357999';
const CHANNEL = '645027906669510667';

type Json = Record<string, unknown>;
type Frame = { op: number; d: unknown; s: number | null; t: string | null };

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/discord/${name}`, import.meta.url), 'utf8');
const json = <T = Json>(name: string): T => JSON.parse(fixture(name)) as T;

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Keys of `sample` missing in `actual` (minus `except`), and keys whose JSON type differs (null in either is accepted). */
function shapeDiff(sample: Json, actual: Json, except: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(sample)) {
    if (except.includes(k)) continue;
    if (!(k in actual)) out.push(`missing ${k}`);
    else if (v !== null && actual[k] !== null && kind(v) !== kind(actual[k])) out.push(`${k}: ${kind(v)} vs ${kind(actual[k])}`);
  }
  return out;
}

let fake: FakeDiscord | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await fake?.close();
  fake = undefined;
});

async function start(): Promise<FakeDiscord> {
  fake = await startFakeDiscord({
    guilds: [{ id: GUILD, name: 'Creators', channels: [{ id: CHANNEL, name: 'general' }], roles: [{ id: '539082325061836999', name: 'mods', permissions: '8' }] }],
  });
  return fake;
}

/** A raw gateway client: frames collected in order. */
async function connect(f: FakeDiscord): Promise<{ ws: WebSocket; frames: Frame[] }> {
  const ws = new WebSocket(`${f.gatewayUrl}?v=10&encoding=json`);
  sockets.push(ws);
  const frames: Frame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
  await f.until(() => frames.length > 0, { message: 'HELLO' });
  return { ws, frames };
}

describe('fake discord payloads match the vendored samples', () => {
  it('HELLO, READY and GUILD_CREATE carry the fields of the Discord4J gateway captures', async () => {
    const f = await start();
    const { ws, frames } = await connect(f);
    const hello = json<Frame>('d4j.gateway.op10.hello.json');
    expect(frames[0]).toMatchObject({ op: 10, s: null, t: null });
    expect(shapeDiff(hello.d as Json, frames[0]!.d as Json)).toEqual([]);
    ws.send(JSON.stringify({ op: 2, d: { token: f.token, intents: 1, properties: { os: 'linux', browser: 'x', device: 'x' }, shard: [0, 1] } }));
    await f.until(() => frames.length >= 3, { message: 'READY + GUILD_CREATE' });
    const [, ready, guildCreate] = frames;
    const readySample = json<Frame>('d4j.gateway.READY.json');
    expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1 });
    expect(shapeDiff(readySample.d as Json, ready!.d as Json)).toEqual([]);
    const readyD = ready!.d as Json;
    expect(readyD.resume_gateway_url).toBe(f.resumeGatewayUrl);
    expect(readyD.guilds).toEqual([{ unavailable: true, id: GUILD }]);
    expect(shapeDiff((readySample.d as Json).user as Json, readyD.user as Json, ['discriminator'])).toEqual([]);
    expect(shapeDiff((readySample.d as Json).application as Json, readyD.application as Json, ['flags_new'])).toEqual([]);

    const guildSample = json<Frame>('d4j.gateway.GUILD_CREATE.json').d as Json;
    expect(guildCreate).toMatchObject({ op: 0, t: 'GUILD_CREATE', s: 2 });
    const g = guildCreate!.d as Json;
    expect(shapeDiff(guildSample, g)).toEqual([]);
    const first = (x: Json, k: string): Json => (x[k] as Json[])[0]!;
    expect(shapeDiff(first(guildSample, 'channels'), first(g, 'channels'))).toEqual([]);
    expect(shapeDiff(first(guildSample, 'roles'), first(g, 'roles'))).toEqual([]);
    // hoisted_role is absent upstream today; the member sample is old.
    expect(shapeDiff(first(guildSample, 'members'), first(g, 'members'), ['hoisted_role'])).toEqual([]);
    expect(first(g, 'roles')).toMatchObject({ id: GUILD, name: '@everyone' });
  });

  it('INTERACTION_CREATE carries the fields of the docs examples (slash command with member, autocomplete)', async () => {
    const f = await start();
    const { ws, frames } = await connect(f);
    ws.send(JSON.stringify({ op: 2, d: { token: f.token, intents: 1, properties: {}, shard: [0, 1] } }));
    await f.until(() => frames.length >= 3);
    f.interact({ guildId: GUILD, channelId: CHANNEL, name: 'cardsearch', options: [{ type: 3, name: 'cardname', value: 'The Gitrog Monster' }], member: { permissions: '2147483647' } });
    f.interact({ guildId: GUILD, channelId: CHANNEL, name: 'airhorn', type: 4, options: [{ type: 3, name: 'variant', value: 'data a user is typ', focused: true }] });
    await f.until(() => frames.length >= 5);
    const slash = frames[3]!.d as Json;
    const auto = frames[4]!.d as Json;
    expect(frames[3]).toMatchObject({ op: 0, t: 'INTERACTION_CREATE', s: 3 });
    const sample = json('interaction.type2.slash-command.member.json');
    expect(shapeDiff(sample, slash)).toEqual([]);
    // is_pending is a deprecated duplicate of pending.
    expect(shapeDiff(sample.member as Json, slash.member as Json, ['is_pending'])).toEqual([]);
    expect(shapeDiff((sample.member as Json).user as Json, (slash.member as Json).user as Json)).toEqual([]);
    expect(shapeDiff(sample.data as Json, slash.data as Json)).toEqual([]);
    expect((slash.data as Json).options).toEqual((sample.data as Json).options);
    const d4j = json<Frame>('d4j.gateway.INTERACTION_CREATE.slash.json').d as Json;
    expect(shapeDiff(d4j, slash)).toEqual([]);
    const autoSample = json('interaction.type4.autocomplete.json');
    expect(auto.type).toBe(4);
    // The docs' autocomplete example shows `data` only; data.version is not sent by the fake.
    expect(shapeDiff(autoSample.data as Json, auto.data as Json, ['version'])).toEqual([]);
    expect((auto.data as Json).options).toEqual((autoSample.data as Json).options);
  });

  it('op 7 and op 9 frames are the docs examples (plus null s/t)', async () => {
    const f = await start();
    const { ws, frames } = await connect(f);
    ws.send(JSON.stringify({ op: 2, d: { token: f.token, intents: 1, properties: {}, shard: [0, 1] } }));
    await f.until(() => frames.length >= 3);
    f.requestReconnect();
    f.invalidateSession(false);
    await f.until(() => frames.length >= 5);
    expect(frames[3]).toEqual({ ...json('gateway.op7.reconnect.json'), s: null, t: null });
    expect(frames[4]).toEqual({ ...json('gateway.op9.invalid-session.json'), s: null, t: null });
    // A RESUME of the forgotten session is answered op 9 false as well.
    ws.send(JSON.stringify({ op: 6, d: { token: f.token, session_id: f.sessions()[0]!.id, seq: 3 } }));
    await f.until(() => frames.length >= 6);
    expect(frames[5]).toMatchObject({ op: 9, d: false });
  });

  it('REST: GET /gateway/bot and stored commands have the sample fields; 429s have the sample bodies and headers', async () => {
    const f = await start();
    const get = async (method: string, path: string, body?: unknown): Promise<Response> =>
      fetch(`${f.restUrl}/v10${path}`, { method, headers: { authorization: `Bot ${f.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const bot = (await (await get('GET', '/gateway/bot')).json()) as Json;
    const botSample = json('rest.GET.gateway-bot.json');
    expect(Object.keys(bot).sort()).toEqual(Object.keys(botSample).sort());
    expect(Object.keys(bot.session_start_limit as Json).sort()).toEqual(Object.keys(botSample.session_start_limit as Json).sort());

    const put = await get('PUT', `/applications/${f.applicationId}/guilds/${GUILD}/commands`, [{ name: 'join', description: 'Join my current voice channel' }]);
    const [stored] = (await put.json()) as Json[];
    const [cmdSample] = json<Json[]>('d4j.rest.application-command.response.json');
    expect(shapeDiff(cmdSample!, stored!)).toEqual([]);

    for (const [scope, name] of [['user', 'rest.429.user-rate-limit'], ['shared', 'rest.429.shared-resource-rate-limit']] as const) {
      f.failNext('GET /users/@me', { status: 429, retryAfterSec: 64.57, scope });
      const res = await get('GET', '/users/@me');
      expect(res.status).toBe(429);
      const body = (await res.json()) as Json;
      const sampleBody = json(`${name}.json`);
      expect(body).toEqual({ ...sampleBody, retry_after: 64.57 });
      const sampleHeaders = fixture(`${name}.http`)
        .split('\n')
        .filter((l) => l.startsWith('< ') && l.includes(':'))
        .map((l) => l.slice(2).split(':')[0]!.toLowerCase());
      for (const h of sampleHeaders) expect(res.headers.get(h), `${scope} ${h}`).not.toBeNull();
      expect(res.headers.get('retry-after')).toBe('65');
      expect(res.headers.get('x-ratelimit-scope')).toBe(scope);
      expect(res.headers.get('x-ratelimit-reset-after')).toBe('64.570');
    }
    f.failNext('GET /users/@me', { status: 429, retryAfterSec: 1.5, global: true });
    const global = await get('GET', '/users/@me');
    expect(await global.json()).toEqual({ message: 'You are being rate limited.', retry_after: 1.5, global: true });
    expect([global.headers.get('x-ratelimit-global'), global.headers.get('x-ratelimit-scope'), global.headers.get('retry-after')]).toEqual(['true', 'global', '2']);
  });
});
