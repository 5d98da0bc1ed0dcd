import { pointer, type ManifestIssue } from '@streamsuites/kernel';
import { compileTriggerRegex, matchTriggerRegex } from '../../triggers/regex.js';
import { SS_ERR_RULES_AUTO_REPLY_CONFLICT, SS_ERR_RULES_BANNED_PHRASE_CONFLICT } from './errors.js';
import { PhraseSet } from './phrases.js';
import type { ChatBehaviour } from './schema.js';

/** A word a trigger of the creator answers to: a command name or alias, or a keyword. */
interface TriggerWord {
  word: string;
  kind: 'command' | 'keyword';
  /** JSON Pointer of the trigger. */
  path: string;
}

/** The command names and keywords of a creator's `triggers` section (as written; malformed entries are the trigger engine's to report). */
export function triggerWords(triggers: unknown, basePath: readonly (string | number)[]): TriggerWord[] {
  if (!Array.isArray(triggers)) return [];
  const words: TriggerWord[] = [];
  triggers.forEach((trigger: unknown, index) => {
    if (typeof trigger !== 'object' || trigger === null) return;
    const { type, params } = trigger as { type?: unknown; params?: Record<string, unknown> };
    const path = pointer([...basePath, 'triggers', index]);
    const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
    if (type === 'command') for (const word of [...strings(params?.command), ...strings(params?.aliases)]) words.push({ word: word.toLowerCase(), kind: 'command', path });
    if (type === 'keyword') for (const word of strings(params?.keywords)) words.push({ word: word.trim().toLowerCase(), kind: 'keyword', path });
  });
  return words;
}

/**
 * Rules that contradict the creator's triggers: a banned phrase found in a
 * trigger's command or keyword (viewers would be moderated for using the
 * trigger), an auto-reply command or keyword that is also a trigger's.
 * Each issue's path is the rule's; its message names the trigger's path.
 */
export function chatRuleConflicts(section: ChatBehaviour, triggers: unknown, basePath: readonly (string | number)[]): ManifestIssue[] {
  const words = triggerWords(triggers, basePath);
  if (words.length === 0) return [];
  const issues: ManifestIssue[] = [];
  (section.bannedPhrases ?? []).forEach((rule, index) => {
    const path = [...basePath, 'chatBehaviour', 'bannedPhrases', index];
    let hit: TriggerWord | undefined;
    if (rule.phrase !== undefined && rule.phrase.trim() !== '') {
      const set = new PhraseSet([rule.phrase]);
      hit = words.find((w) => set.find(w.word).length > 0);
    } else if (rule.regex !== undefined) {
      const checked = compileTriggerRegex(rule.regex.pattern, (rule.regex.flags ?? '').includes('i') ? rule.regex.flags! : `${rule.regex.flags ?? ''}i`);
      if (checked.ok) hit = words.find((w) => matchTriggerRegex(checked.regex, w.word) !== undefined);
    }
    if (hit === undefined) return;
    const shown = rule.phrase ?? `/${rule.regex!.pattern}/`;
    const error = new SS_ERR_RULES_BANNED_PHRASE_CONFLICT(shown, hit.path);
    issues.push({ code: error.code, path: pointer([...path, rule.phrase === undefined ? 'regex' : 'phrase']), message: `${error.message}: the ${hit.kind} "${hit.word}"`, hint: error.hint! });
  });
  (section.autoReplies ?? []).forEach((rule, index) => {
    const match = rule.match as { command?: string; keyword?: string };
    const path = [...basePath, 'chatBehaviour', 'autoReplies', index, 'match'];
    const command = match.command?.toLowerCase();
    const keyword = match.keyword?.trim().toLowerCase();
    const hit = words.find((w) => (command !== undefined && w.kind === 'command' && w.word === command) || (keyword !== undefined && w.kind === 'keyword' && w.word === keyword));
    if (hit === undefined) return;
    const error = new SS_ERR_RULES_AUTO_REPLY_CONFLICT(command ?? keyword!, hit.path);
    issues.push({ code: error.code, path: pointer([...path, command !== undefined ? 'command' : 'keyword']), message: error.message, hint: error.hint! });
  });
  return issues;
}
