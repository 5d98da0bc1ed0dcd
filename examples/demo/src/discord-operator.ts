// The demo's stand-in for an operator in Discord: once the control plane has
// registered its commands on the local Discord, it runs /status there and
// keeps what the bot answered for the summary.
import type { Logger } from '@streamsuites/kernel';
import type { FakeDiscord } from '@streamsuites/plugin-discord/testing';
import { DEMO_DISCORD } from './local-platforms.js';

/** Administrator, as Discord sends member permissions. */
const ADMIN = String(1n << 3n);

/** Resolves with a one-line account of the /status reply (`/status answered: 3 creators`), or undefined when none came. */
export async function askDiscordStatus(discord: FakeDiscord, logger: Logger): Promise<string | undefined> {
  try {
    await discord.until(() => discord.commands(DEMO_DISCORD.guildId).length > 0, { timeoutMs: 15_000, message: 'the control plane registered its commands' });
    const reply = await discord
      .interact({ guildId: DEMO_DISCORD.guildId, channelId: DEMO_DISCORD.commandsChannelId, name: 'status', member: { username: 'operator', permissions: ADMIN } })
      .callback(10_000);
    const embed = reply.data?.embeds?.[0] as { title?: string; fields?: unknown[] } | undefined;
    if (embed === undefined) return undefined;
    logger.info({ title: embed.title, creators: embed.fields?.length ?? 0 }, 'Discord /status answered');
    return `/status answered: ${embed.fields?.length ?? 0} creators`;
  } catch (error) {
    logger.warn({ err: error }, 'the demo could not run /status on the local Discord');
    return undefined;
  }
}
