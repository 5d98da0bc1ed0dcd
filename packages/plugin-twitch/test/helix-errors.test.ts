import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as helixErrors from '../src/helix/errors.js';

it('every Helix error code equals its key and is documented in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const codes = Object.entries(helixErrors).filter(([key]) => key.startsWith('SS_ERR_'));
  expect(codes.map(([key]) => key).sort()).toEqual(['SS_ERR_TWITCH_DEVICE_AUTH', 'SS_ERR_TWITCH_RATE_LIMITED', 'SS_ERR_TWITCH_REDEMPTION_FORBIDDEN']);
  for (const [key, value] of codes) {
    expect((value as { code: string }).code).toBe(key);
    expect(readme).toContain(`\`${key}\``);
  }
});
