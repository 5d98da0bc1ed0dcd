/** Shared set-up of the fake's own tests: one fake and one discord.js client per test, both closed after it. */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach } from 'vitest';
import { type FakeDiscord, startFakeDiscord, type StartFakeDiscordOptions } from '../src/testing.js';

export const GUILD = '290926798626357999';
export const CHANNEL = '645027906669510667';

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

/** A fake with one guild (a text channel and a `mods` role), plus `extra` options. */
export async function start(extra: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
  fake = await startFakeDiscord({
    guilds: [
      {
        id: GUILD,
        name: 'Creators',
        channels: [{ id: CHANNEL, name: 'general', type: 0 }],
        roles: [{ id: '539082325061836999', name: 'mods', permissions: '8' }],
      },
    ],
    ...extra,
  });
  return fake;
}

/** A discord.js client pointed at the fake (destroyed after the test); `intents` default: Guilds. */
export function newClient(f: FakeDiscord, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]): Client {
  client = new Client({ intents, rest: { api: f.restUrl } });
  return client;
}

/** A client logged in and ready. */
export async function login(f: FakeDiscord): Promise<Client> {
  const c = newClient(f);
  const ready = once(c, Events.ClientReady);
  await c.login(f.token);
  await ready;
  return c;
}
