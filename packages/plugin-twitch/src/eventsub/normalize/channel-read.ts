/**
 * Reading EventSub channel-event fields: each reader either returns the
 * field as its type or throws BadEvent naming it, which the normalizer
 * wrapper turns into a `failed` result with that reason (never a throw
 * out of a normalizer).
 */
import type { TwitchChannelEventBase, TwitchSubTier, TwitchUserRef } from '../channel-events.js';
import type { EventSubNormalizeContext } from '../types.js';

/** A field missing or of the wrong type: the event cannot be normalized. */
export class BadEvent extends Error {}

export type Raw = Record<string, unknown>;

export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(event: Raw, key: string): string {
  const value = event[key];
  if (typeof value !== 'string') throw new BadEvent(`${key} is not a string`);
  return value;
}

/** A string field that may be absent or null. */
export function optStr(event: Raw, key: string): string | undefined {
  const value = event[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadEvent(`${key} is not a string`);
  return value;
}

export function num(event: Raw, key: string): number {
  const value = event[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadEvent(`${key} is not a number`);
  return value;
}

/** A number field that may be absent or null (Twitch sends null for "not shared"). */
export function optNum(event: Raw, key: string): number | undefined {
  const value = event[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadEvent(`${key} is not a number`);
  return value;
}

export function bool(event: Raw, key: string, fallback?: boolean): boolean {
  const value = event[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'boolean') throw new BadEvent(`${key} is not a boolean`);
  return value;
}

export function obj(event: Raw, key: string): Raw {
  const value = event[key];
  if (!isRecord(value)) throw new BadEvent(`${key} is not an object`);
  return value;
}

export function list(event: Raw, key: string): Raw[] {
  const value = event[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new BadEvent(`${key} is not a list of objects`);
  return value;
}

/** RFC 3339 (nanoseconds allowed) → ms since epoch. */
export function time(event: Raw, key: string): number {
  const ms = Date.parse(str(event, key));
  if (!Number.isFinite(ms)) throw new BadEvent(`${key} is not an RFC 3339 time`);
  return ms;
}

export function optTime(event: Raw, key: string): number | undefined {
  return optStr(event, key) === undefined ? undefined : time(event, key);
}

/** `<prefix>user_id`, `<prefix>user_login`, `<prefix>user_name` (prefix `''`, `broadcaster_`, `from_broadcaster_`...). */
export function user(event: Raw, prefix: string): TwitchUserRef {
  return { id: str(event, `${prefix}user_id`), login: str(event, `${prefix}user_login`).toLowerCase(), displayName: str(event, `${prefix}user_name`) };
}

/** The user when the event names one (anonymous cheers and gifts send nulls). */
export function optUser(event: Raw, prefix: string): TwitchUserRef | undefined {
  const id = event[`${prefix}user_id`];
  return id === undefined || id === null || id === '' ? undefined : user(event, prefix);
}

export function tier(event: Raw): TwitchSubTier {
  const value = str(event, 'tier');
  if (value === '1000') return 1;
  if (value === '2000') return 2;
  if (value === '3000') return 3;
  throw new BadEvent(`tier "${value}" is not 1000, 2000 or 3000`);
}

/** The common fields, from `broadcaster_user_*` (or `to_broadcaster_user_*` for a raid). */
export function base(event: Raw, ctx: EventSubNormalizeContext, prefix = 'broadcaster_'): TwitchChannelEventBase {
  return {
    creatorId: ctx.creatorId,
    platform: 'twitch',
    channel: str(event, `${prefix}user_login`).toLowerCase(),
    channelId: str(event, `${prefix}user_id`),
    eventId: ctx.messageId,
    at: ctx.receivedAt,
  };
}

/** Leaves out keys whose value is undefined: bus payloads are JSON, where they would vanish anyway. */
export function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
