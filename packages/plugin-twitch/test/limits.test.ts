import { describe, expect, it } from 'vitest';
import { TWITCH_AUTH, TWITCH_CHAT_MODERATOR, TWITCH_CHAT_USER, TWITCH_JOIN } from '../src/index.js';

describe('Twitch rate-limit presets', () => {
  it('carry the published limits and cannot be changed in place', () => {
    expect(TWITCH_CHAT_USER).toEqual({ capacity: 20, windowMs: 30_000 });
    expect(TWITCH_CHAT_MODERATOR).toEqual({ capacity: 100, windowMs: 30_000 });
    expect(TWITCH_JOIN).toEqual({ capacity: 20, windowMs: 10_000 });
    expect(TWITCH_AUTH).toEqual({ capacity: 20, windowMs: 10_000 });
    for (const preset of [TWITCH_CHAT_USER, TWITCH_CHAT_MODERATOR, TWITCH_JOIN, TWITCH_AUTH]) expect(Object.isFrozen(preset)).toBe(true);
  });
});
