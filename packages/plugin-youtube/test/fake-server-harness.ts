/**
 * What the fake-server-*.test.ts files share: one fake YouTube Data API per
 * test on a clock they move, a @googleapis/youtube client with the API key,
 * an OAuth client acting as the bot, and helpers for failures and pages.
 * Importing it registers the beforeEach / afterEach that start and close the fake.
 */
import { readFileSync } from 'node:fs';
import { auth, youtube, type youtube_v3 } from '@googleapis/youtube';
import { afterEach, beforeEach } from 'vitest';
import { type FakeYouTubeApi, startFakeYouTubeApi, type StartFakeYouTubeApiOptions } from '../src/testing.js';
import type { LiveChatPage } from '../src/types.js';

const FIXTURES = new URL('../../../fixtures/youtube/', import.meta.url);
export const fixture = <T = unknown>(file: string): T => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as T;

export interface Failure {
  status: number;
  reason: string | undefined;
  body: unknown;
}

/** Awaits a @googleapis/youtube call that must fail; returns the HTTP status, `errors[0].reason` and the body. */
export async function failure(call: Promise<unknown>): Promise<Failure> {
  try {
    await call;
  } catch (err) {
    const response = (err as { response?: { status: number; data: unknown } }).response;
    if (response === undefined) throw err;
    const data = response.data as { error?: { errors?: { reason?: string }[] } | string };
    const reason = typeof data?.error === 'string' ? data.error : data?.error?.errors?.[0]?.reason;
    return { status: response.status, reason, body: data };
  }
  throw new Error('the call succeeded');
}

export const T0 = Date.UTC(2024, 4, 1, 18, 0, 0); // 11:00 in Los Angeles
export const CHANNEL = 'UCcreatorChannel00000001';
/** The fake's clock (live binding: read it; move it with advanceClock / setClock). */
export let clock = T0;
export let fake: FakeYouTubeApi;
export let yt: youtube_v3.Youtube;

export function advanceClock(ms: number): void {
  clock += ms;
}

export function setClock(ms: number): void {
  clock = ms;
}

/** (Re)starts the fake with `options` on the test clock, and `yt` with its API key. */
export async function start(options: StartFakeYouTubeApiOptions = {}): Promise<void> {
  await fake?.close();
  fake = await startFakeYouTubeApi({ now: () => clock, ...options });
  yt = youtube({ version: 'v3', rootUrl: fake.url, auth: fake.credentials.apiKey, retry: false });
}

/** A client acting as the bot account through the OAuth refresh flow. */
export function oauthClient(options: { forceRefreshOnFailure?: boolean; clientSecret?: string; refreshToken?: string } = {}): { client: InstanceType<typeof auth.OAuth2>; api: youtube_v3.Youtube } {
  const client = new auth.OAuth2({
    clientId: fake.credentials.clientId,
    clientSecret: options.clientSecret ?? fake.credentials.clientSecret,
    endpoints: { oauth2TokenUrl: fake.tokenUrl },
    forceRefreshOnFailure: options.forceRefreshOnFailure ?? false,
  });
  client.setCredentials({ refresh_token: options.refreshToken ?? fake.credentials.refreshToken });
  return { client, api: youtube({ version: 'v3', rootUrl: fake.url, auth: client, retry: false }) };
}

export const CHAT_PARTS = ['id', 'snippet', 'authorDetails'];
export const list = (liveChatId: string, pageToken?: string, extra: Partial<youtube_v3.Params$Resource$Livechatmessages$List> = {}) =>
  yt.liveChatMessages.list({ liveChatId, part: CHAT_PARTS, ...(pageToken === undefined ? {} : { pageToken }), ...extra }).then((r) => r.data);
export const texts = (page: LiveChatPage): string[] => (page.items ?? []).map((i) => i.snippet?.displayMessage ?? `<${i.snippet?.type}>`);
export const keys = (o: object | undefined): string[] => Object.keys(o ?? {}).sort();

beforeEach(async () => {
  clock = T0;
  await start();
});
afterEach(async () => {
  await fake.close();
});
