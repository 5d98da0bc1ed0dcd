import { Routes, type REST } from 'discord.js';
import type { CommandBody } from './definitions.js';

/** What `syncGuildCommands` did. */
export type SyncOutcome = 'unchanged' | 'updated';

/**
 * Makes a server's commands equal to `desired`: reads what Discord has and
 * PUTs (one bulk overwrite) only when it differs, so a restart does not
 * re-register commands Discord already has (registration is rate limited,
 * and an update makes clients refetch).
 */
export async function syncGuildCommands(rest: REST, applicationId: string, guildId: string, desired: readonly CommandBody[]): Promise<SyncOutcome> {
  const route = Routes.applicationGuildCommands(applicationId, guildId);
  const existing = (await rest.get(route)) as unknown;
  if (Array.isArray(existing) && sameCommands(existing, desired)) return 'unchanged';
  await rest.put(route, { body: desired });
  return 'updated';
}

/** Whether Discord's commands (with ids, versions and defaults filled in) are the ones we would register. */
export function sameCommands(existing: readonly unknown[], desired: readonly CommandBody[]): boolean {
  const canon = (list: readonly unknown[]) => JSON.stringify(list.map((c) => canonical(c)).sort((a, b) => String(a.name).localeCompare(String(b.name))));
  return canon(existing) === canon(desired);
}

/** The fields we set, with Discord's defaults made explicit; ids, versions and localizations left out. */
function canonical(value: unknown): Record<string, unknown> {
  const c = (value ?? {}) as Record<string, unknown>;
  return {
    name: c.name,
    description: c.description ?? '',
    type: c.type ?? 1,
    default_member_permissions: c.default_member_permissions ?? null,
    nsfw: c.nsfw ?? false,
    options: Array.isArray(c.options) ? c.options.map((o) => option(o)) : [],
  };
}

function option(value: unknown): Record<string, unknown> {
  const o = (value ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: o.type,
    name: o.name,
    description: o.description ?? '',
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    choices: Array.isArray(o.choices) ? o.choices.map((ch) => ({ name: (ch as Record<string, unknown>).name, value: (ch as Record<string, unknown>).value })) : [],
    options: Array.isArray(o.options) ? o.options.map((sub) => option(sub)) : [],
  };
  for (const key of ['min_value', 'max_value', 'min_length', 'max_length', 'channel_types']) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
