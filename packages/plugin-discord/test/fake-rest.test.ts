/**
 * The fake Discord's REST side driven by the REAL discord.js 14 Client:
 * scripted 429s (user, shared, global) and 5xx, channel messages and edits,
 * guild command registration, raw error bodies and rate-limit headers.
 */
import { once } from 'node:events';
import { type ChatInputCommandInteraction, Client, Events, GatewayIntentBits, type TextChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord, RestCall } from '../src/testing.js';
import { CHANNEL, GUILD, login, start } from './fake-helpers.js';

const POST_MESSAGES = `POST /channels/${CHANNEL}/messages`;


function channelOf(c: Client): TextChannel {
  return c.channels.cache.get(CHANNEL) as TextChannel;
}

function callsTo(f: FakeDiscord, route: string): RestCall[] {
  return f.calls().filter((x) => `${x.method} ${x.path}` === route);
}

async function raw(f: FakeDiscord, method: string, path: string, init: { token?: string | null; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token !== null) headers.authorization = `Bot ${init.token ?? f.token}`;
  return fetch(`${f.restUrl}/v10${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

describe('fake discord REST with discord.js', () => {
  it('a user-scope 429 on POST messages: discord.js waits retry_after and posts once', async () => {
    const f = await start();
    const c = await login(f);
    f.failNext(POST_MESSAGES, { status: 429, retryAfterSec: 0.6 });
    const limited = once(c.rest, 'rateLimited');
    const sent = await channelOf(c).send('going live');
    const [info] = (await limited) as [{ global: boolean; scope: string; retryAfter: number }];
    expect(info).toMatchObject({ global: false, scope: 'user' });
    const calls = callsTo(f, POST_MESSAGES);
    expect(calls.map((x) => x.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(600);
    expect(f.messages(CHANNEL)).toEqual([expect.objectContaining({ id: sent.id, content: 'going live' })]);
  });

  it('a shared-scope 429: same, without spending the bucket', async () => {
    const f = await start();
    const c = await login(f);
    f.failNext(`/channels/${CHANNEL}/messages`, { status: 429, retryAfterSec: 0.4, scope: 'shared' });
    await channelOf(c).send('shared');
    const calls = callsTo(f, POST_MESSAGES);
    expect(calls.map((x) => x.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(400);
    expect(f.messages(CHANNEL)).toHaveLength(1);
  });

  it('a global 429: discord.js waits retry_after and posts once', async () => {
    const f = await start();
    const c = await login(f);
    f.failNext(POST_MESSAGES, { status: 429, retryAfterSec: 0.5, global: true });
    const limited = once(c.rest, 'rateLimited');
    await channelOf(c).send('global');
    const [info] = (await limited) as [{ global: boolean; scope: string }];
    // discord.js emits 'rateLimited' only while waiting before a request, always with scope 'user'.
    expect(info).toMatchObject({ global: true });
    const calls = callsTo(f, POST_MESSAGES);
    expect(calls.map((x) => x.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(500);
    expect(f.messages(CHANNEL)).toHaveLength(1);
  });

  it('a 502: discord.js retries at once; four 500s in a row reject with HTTPError 500', async () => {
    const f = await start();
    const c = await login(f);
    f.failNext(POST_MESSAGES, { status: 502 });
    await channelOf(c).send('after a 502');
    expect(callsTo(f, POST_MESSAGES).map((x) => x.status)).toEqual([502, 200]);
    f.failNext(POST_MESSAGES, { status: 500 }, 4);
    await expect(channelOf(c).send('never')).rejects.toMatchObject({ status: 500, name: 'HTTPError' });
    expect(callsTo(f, POST_MESSAGES).map((x) => x.status)).toEqual([502, 200, 500, 500, 500, 500]);
    expect(f.messages(CHANNEL).map((m) => m.content)).toEqual(['after a 502']);
  });

  it('messages: send with an embed, then edit', async () => {
    const f = await start();
    const c = await login(f);
    const msg = await channelOf(c).send({ content: 'Live now', embeds: [{ title: 'alice is live', url: 'https://twitch.tv/alice' }] });
    expect(msg.author.id).toBe(f.botUser.id);
    expect(msg.embeds[0]?.title).toBe('alice is live');
    const edited = await msg.edit({ content: 'Was live' });
    expect(edited.content).toBe('Was live');
    const [stored] = f.messages(CHANNEL);
    expect(stored).toMatchObject({ id: msg.id, content: 'Was live', embeds: [{ title: 'alice is live' }] });
    expect(stored?.editedAt).toBeGreaterThanOrEqual(stored!.createdAt);
    expect(f.calls().map((x) => `${x.method} ${x.path}`)).toContain(`PATCH /channels/${CHANNEL}/messages/${msg.id}`);
  });

  it('guild commands: set() PUTs, the fake stores them with ids, fetch() GETs them, interactions carry the id', async () => {
    const f = await start();
    const c = await login(f);
    const body = [
      { name: 'clip', description: 'Clip the last 30 seconds', options: [{ type: 3, name: 'title', description: 'Title' }] },
      { name: 'status', description: 'Who is live' },
    ];
    const set = await c.application!.commands.set(body, GUILD);
    expect([...set.values()].map((x) => x.name).sort()).toEqual(['clip', 'status']);
    const stored = f.commands(GUILD) as { id: string; name: string; version: string; application_id: string; guild_id: string }[];
    expect(stored.map((x) => x.name)).toEqual(['clip', 'status']);
    expect(stored[0]).toMatchObject({ application_id: f.applicationId, guild_id: GUILD, type: 1 });
    expect(callsTo(f, `PUT /applications/${f.applicationId}/guilds/${GUILD}/commands`)).toHaveLength(1);
    // Overwriting keeps the id of a command with the same name, as Discord does.
    await c.application!.commands.set([body[0]!], GUILD);
    expect((f.commands(GUILD) as { id: string }[]).map((x) => x.id)).toEqual([stored[0]!.id]);
    const fetched = await c.guilds.cache.get(GUILD)!.commands.fetch();
    expect([...fetched.keys()]).toEqual([stored[0]!.id]);
    const seen = new Promise<ChatInputCommandInteraction>((resolve) => c.once(Events.InteractionCreate, (i) => resolve(i as ChatInputCommandInteraction)));
    f.interact({ guildId: GUILD, channelId: CHANNEL, name: 'clip' });
    expect((await seen).commandId).toBe(stored[0]!.id);
  });

  it('an invalid command body is answered 400 Invalid Form Body (50035)', async () => {
    const f = await start();
    const c = await login(f);
    await expect(c.application!.commands.set([{ name: 'Bad Name', description: 'x' }], GUILD)).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it('raw: rate-limit headers on answers, 401 / 404 bodies, unknown channel, empty message', async () => {
    const f = await start();
    const me = await raw(f, 'GET', '/users/@me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: f.botUser.id, bot: true });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket']) {
      expect(me.headers.get(h), h).not.toBeNull();
    }
    const bot = await (await raw(f, 'GET', '/gateway/bot')).json();
    expect(bot).toMatchObject({ url: f.gatewayUrl, shards: 1, session_start_limit: { max_concurrency: 1 } });
    const denied = await raw(f, 'GET', '/users/@me', { token: 'nope' });
    expect([denied.status, await denied.json()]).toEqual([401, { message: '401: Unauthorized', code: 0 }]);
    const missing = await raw(f, 'GET', '/nothing/here');
    expect([missing.status, await missing.json()]).toEqual([404, { message: '404: Not Found', code: 0 }]);
    const unknown = await raw(f, 'POST', '/channels/1234567890123/messages', { body: { content: 'x' } });
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: 'Unknown Channel', code: 10003 }]);
    const empty = await raw(f, 'POST', `/channels/${CHANNEL}/messages`, { body: {} });
    expect([empty.status, await empty.json()]).toEqual([400, { message: 'Cannot send an empty message', code: 50006 }]);
    expect(f.calls().map((x) => x.status)).toEqual([200, 200, 401, 404, 404, 400]);
  });

  it('raw: a client that ignores the headers gets a real 429 once the bucket is spent', async () => {
    const f = await start({ bucketLimit: 2, bucketWindowMs: 60_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await raw(f, 'POST', `/channels/${CHANNEL}/messages`, { body: { content: `m${i}` } })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const res = await raw(f, 'POST', `/channels/${CHANNEL}/messages`, { body: { content: 'again' } });
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(f.messages(CHANNEL)).toHaveLength(2);
  });

  it('interaction callback rules: a second acknowledgement is 400 40060; with_response=true answers 200 with the resource', async () => {
    const f = await start();
    const c = await login(f);
    const seen = new Promise<ChatInputCommandInteraction>((resolve) => c.once(Events.InteractionCreate, (i) => resolve(i as ChatInputCommandInteraction)));
    const call = f.interact({ guildId: GUILD, channelId: CHANNEL, name: 'clip' });
    const i = await seen;
    const response = await i.reply({ content: 'hi', withResponse: true });
    expect(response.resource?.message?.content).toBe('hi');
    expect((await call.callback()).type).toBe(4);
    const again = await fetch(`${f.restUrl}/v10/interactions/${call.id}/${call.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'twice' } }),
    });
    expect([again.status, await again.json()]).toEqual([400, { message: 'Interaction has already been acknowledged.', code: 40060 }]);
    expect((await i.fetchReply()).content).toBe('hi');
  });
});
