import { didYouMean, suggest } from '@streamsuites/kernel';
import { isPlainObject, type Origin } from '../builder.js';
import { SS_ERR_CONFIG_UNKNOWN_CREATOR, SS_ERR_CONFIG_UNKNOWN_PLATFORM } from '../errors.js';
import { PLATFORM_PLUGINS, RULE_SECTIONS } from '../formats.js';
import type { MapContext } from './context.js';
import { knownPlatforms, type MappedCreators } from './creators.js';

/**
 * The per-creator files: rule files (chat_behaviour, clip_rules,
 * posting_rules, monetization) → `creators.<id>.<section>`, their
 * `defaults` under every creator's own entry; chat_triggers.json →
 * `creators.<id>.triggers`.
 */
export function mapCreatorFiles(ctx: MapContext, mapped: MappedCreators): void {
  const ids = mapped.creators.map((c) => c.id);
  /** A creator a file configures must be in creators.json (a disabled one is only listed as unmapped). */
  const check = (fileName: string, id: string) => {
    if (ids.includes(id)) return;
    if (mapped.disabled.has(id)) ctx.skip(fileName, `/creators/${id}`, `creator "${id}" is disabled in creators.json`);
    else if (!ctx.broken.has('creators.json')) ctx.problem(ctx.origin(fileName, 'creators', id), new SS_ERR_CONFIG_UNKNOWN_CREATOR(fileName, id), didYouMean(suggest(id, ids)));
  };

  for (const [fileName, section] of Object.entries(RULE_SECTIONS)) {
    const rules = ctx.file(fileName)?.value;
    if (rules === undefined) continue;
    const own = isPlainObject(rules.creators) ? rules.creators : {};
    for (const id of Object.keys(own)) check(fileName, id);
    for (const { id } of mapped.creators) {
      // Objects merge key by key (the creator's over the defaults); lists replace.
      if (isPlainObject(rules.defaults)) ctx.builder.merge(['creators', id, section], rules.defaults, ctx.origin(fileName, 'defaults'), { conflicts: false });
      if (isPlainObject(own[id])) ctx.builder.merge(['creators', id, section], own[id], ctx.origin(fileName, 'creators', id), { conflicts: false });
    }
  }

  const triggers = ctx.file('chat_triggers.json')?.value;
  if (triggers === undefined) return;
  const defaults = Array.isArray(triggers.defaults) ? triggers.defaults : [];
  const own = isPlainObject(triggers.creators) ? triggers.creators : {};
  for (const id of Object.keys(own)) check('chat_triggers.json', id);
  const idOf = (t: unknown) => (isPlainObject(t) && typeof t.id === 'string' ? t.id : undefined);
  for (const { id } of mapped.creators) {
    // The defaults first, a creator's trigger of the same id in its place, then the creator's others.
    const mine = Array.isArray(own[id]) ? (own[id] as unknown[]) : [];
    const list: { value: unknown; at: Origin }[] = [];
    const used = new Set<number>();
    defaults.forEach((trigger, i) => {
      const replaced = idOf(trigger) === undefined ? -1 : mine.findIndex((m) => idOf(m) === idOf(trigger));
      if (replaced >= 0) used.add(replaced);
      list.push(replaced >= 0 ? { value: mine[replaced], at: ctx.origin('chat_triggers.json', 'creators', id, replaced) } : { value: trigger, at: ctx.origin('chat_triggers.json', 'defaults', i) });
    });
    mine.forEach((trigger, i) => void (used.has(i) || list.push({ value: trigger, at: ctx.origin('chat_triggers.json', 'creators', id, i) })));
    if (list.length === 0) continue;
    ctx.builder.merge(['creators', id, 'triggers'], [], ctx.origin('chat_triggers.json', ...(Array.isArray(own[id]) ? ['creators', id] : ['defaults'])), { conflicts: false });
    list.forEach(({ value, at }, i) => ctx.builder.merge(['creators', id, 'triggers', i], value, at, { conflicts: false }));
  }
}

/** identities.json: people → the top-level `identities`, accounts as "<plugin id>:<user id>". */
export function mapIdentities(ctx: MapContext): void {
  const people = ctx.file('identities.json')?.value.people;
  if (!isPlainObject(people)) return;
  const platforms = knownPlatforms(ctx);
  for (const [personId, person] of Object.entries(people)) {
    if (!isPlainObject(person)) continue;
    const at = (...path: (string | number)[]) => ctx.origin('identities.json', 'people', personId, ...path);
    ctx.builder.merge(['identities', personId], {}, at(), { convert: false });
    if (typeof person.display_name === 'string') ctx.builder.merge(['identities', personId, 'displayName'], person.display_name, at('display_name'));
    ctx.builder.merge(['identities', personId, 'accounts'], [], at('accounts'));
    const accounts = Array.isArray(person.accounts) ? person.accounts : [];
    accounts.forEach((account, i) => {
      if (!isPlainObject(account) || typeof account.platform !== 'string' || typeof account.user_id !== 'string') return;
      if (!platforms.includes(account.platform) && !ctx.broken.has('platforms.json')) {
        ctx.problem(at('accounts', i, 'platform'), new SS_ERR_CONFIG_UNKNOWN_PLATFORM(`identity "${personId}"`, account.platform), didYouMean(suggest(account.platform, platforms)));
      }
      ctx.builder.merge(['identities', personId, 'accounts', i], `${PLATFORM_PLUGINS[account.platform] ?? account.platform}:${account.user_id}`, at('accounts', i));
    });
  }
}
