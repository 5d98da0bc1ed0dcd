/**
 * Discord's `/clip` dispatches clip.create like a chat trigger, so the
 * defaults' clip.create guard (tiers, clipRules) judges it too: an admin's
 * /clip is not refused by role (no chat message), but the tier's length and
 * clips per hour apply, and the refusal's code reaches the operator.
 */
import { ManualClock } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { expect, it } from 'vitest';
import discordPlugin from '../src/index.js';
import { fakeClipsPlugin, fakeDiscord, GUILD, int, slash, str, tempDir, TOKEN } from './helpers.js';

it('/clip under a tier: within the limits a clip, over the tier\'s length or clips per hour an ephemeral refusal naming the code; roles do not apply', async () => {
  const fake = await fakeDiscord();
  const t = await startTestKernel({
    plugins: [discordPlugin, fakeClipsPlugin],
    env: { DISCORD_BOT_TOKEN: TOKEN },
    clock: new ManualClock(Date.UTC(2026, 11, 5, 18)),
    manifest: {
      dataDir: tempDir(),
      tiers: { free: { maxClipSeconds: 30, clipsPerHour: 1 } },
      plugins: {
        clips: {},
        discord: { config: { token: '${env:DISCORD_BOT_TOKEN}', restUrl: fake.restUrl, restart: { initialMs: 100, maxMs: 1000 }, guilds: [{ id: GUILD }] } },
      },
      creators: { daniel: { enable: ['discord', 'clips'], tier: 'free', clipRules: { roles: ['moderator'] } } },
    },
  });
  await fake.until(() => fake.commands(GUILD).length > 0, { timeoutMs: 10_000, message: 'commands registered' });
  const refusal = async (seconds: number) => {
    const interaction = fake.interact(slash('clip', [str('creator', 'daniel'), int('seconds', seconds)]));
    await interaction.callback();
    await fake.until(() => interaction.followups().length === 1, { message: 'the ephemeral follow-up' });
    return interaction.followups()[0] as { flags: number; content: string };
  };

  const long = await refusal(45);
  expect(long.flags).toBe(1 << 6);
  expect(long.content).toContain('SS_ERR_TIER_CLIP_TOO_LONG');

  const ok = fake.interact(slash('clip', [str('creator', 'daniel'), int('seconds', 20)]));
  await ok.callback();
  expect((await ok.original(10_000)).embeds[0]).toMatchObject({ title: 'Clip of daniel', description: 'https://clips.example/clip-1.mp4' });

  const again = await refusal(10);
  expect(again.content).toContain('SS_ERR_TIER_CLIPS_PER_HOUR');
  expect(t.events.of('action.failed').map((e) => e.error.code)).toEqual(['SS_ERR_TIER_CLIP_TOO_LONG', 'SS_ERR_TIER_CLIPS_PER_HOUR']);
  await t.stop();
});
