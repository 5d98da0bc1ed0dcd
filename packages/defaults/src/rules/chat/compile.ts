import { pointer, type ChatRole, type ManifestIssue } from '@streamsuites/kernel';
import { parseDuration } from '../../triggers/duration.js';
import { compileTriggerRegex, type TriggerRegex } from '../../triggers/regex.js';
import { SS_ERR_RULES_INVALID, SS_ERR_RULES_REGEX_UNSAFE } from './errors.js';
import { PhraseSet } from './phrases.js';
import type { AutoReply, BannedPhrase, ChatBehaviour } from './schema.js';

export type ModerationKind = 'delete' | 'timeout' | 'warn';

export const DEFAULT_WARN_TEXT = '{user}, please mind the chat rules.';

export interface CompiledBan {
  index: number;
  action: ModerationKind;
  timeoutSec: number;
  reason?: string;
  warnText: string;
  platforms?: readonly string[];
}

export interface CompiledAutoReply {
  index: number;
  text: string;
  cooldownMs: number;
  platforms?: readonly string[];
  command?: string;
  regex?: TriggerRegex;
}

export interface CompiledRateLimit {
  messages: number;
  windowMs: number;
  action: ModerationKind;
  timeoutSec: number;
  warnText: string;
  platforms?: readonly string[];
}

/** A creator's chatBehaviour, compiled once: what every chat message is checked against. */
export interface CompiledChatBehaviour {
  exemptRoles: ReadonlySet<ChatRole>;
  greeting?: { text: string; platforms?: readonly string[] };
  bans: readonly CompiledBan[];
  /** Phrase i of banPhrases is ban banPhraseOwners[i]. */
  banPhrases: PhraseSet;
  banPhraseOwners: readonly number[];
  banRegexes: readonly { ban: number; regex: TriggerRegex }[];
  autoReplies: readonly CompiledAutoReply[];
  replyKeywords: PhraseSet;
  replyKeywordOwners: readonly number[];
  rateLimit?: CompiledRateLimit;
}

/** A regex of a rule, checked as trigger regexes are (RE2, linear time); `forceI` adds the i flag. */
function ruleRegex(pattern: string, flags: string, path: (string | number)[], issues: ManifestIssue[], forceI: boolean): TriggerRegex | undefined {
  const checked = compileTriggerRegex(pattern, forceI && !flags.includes('i') ? `${flags}i` : flags);
  if (checked.ok) return checked.regex;
  const hint = checked.reason === 'unsupported' ? checked.unsupported.hint : undefined;
  issues.push({
    code: SS_ERR_RULES_REGEX_UNSAFE.code,
    path: pointer([...path, 'pattern']),
    message: new SS_ERR_RULES_REGEX_UNSAFE(pattern, checked.message).message,
    hint: hint ?? new SS_ERR_RULES_REGEX_UNSAFE(pattern, checked.message).hint!,
  });
  return undefined;
}

function invalid(issues: ManifestIssue[], path: (string | number)[], problem: string, hint: string): void {
  issues.push({ code: SS_ERR_RULES_INVALID.code, path: pointer(path), message: new SS_ERR_RULES_INVALID(problem).message, hint });
}

/**
 * Compiles a (schema-valid, defaults applied) chatBehaviour section; the
 * problems the schema cannot see come back as issues under `basePath`
 * (`creators.<id>.chatBehaviour`). Rules with problems are left out.
 */
export function compileChatBehaviour(section: ChatBehaviour, basePath: readonly (string | number)[]): { compiled: CompiledChatBehaviour; issues: ManifestIssue[] } {
  const issues: ManifestIssue[] = [];
  const bans: CompiledBan[] = [];
  const banPhrases: string[] = [];
  const banPhraseOwners: number[] = [];
  const banRegexes: { ban: number; regex: TriggerRegex }[] = [];
  (section.bannedPhrases ?? []).forEach((rule: BannedPhrase, index) => {
    const path = [...basePath, 'bannedPhrases', index];
    const hasPhrase = rule.phrase !== undefined;
    const hasRegex = rule.regex !== undefined;
    if (hasPhrase === hasRegex) {
      invalid(issues, path, hasPhrase ? 'a banned phrase has both "phrase" and "regex"' : 'a banned phrase needs "phrase" or "regex"', 'Give each banned phrase exactly one of "phrase" (whole words) or "regex".');
      return;
    }
    if (hasPhrase && rule.phrase!.trim() === '') {
      invalid(issues, [...path, 'phrase'], 'the phrase is blank', 'Write a phrase with a character other than spaces, or remove the rule.');
      return;
    }
    const regex = hasRegex ? ruleRegex(rule.regex!.pattern, rule.regex!.flags ?? '', [...path, 'regex'], issues, true) : undefined;
    if (hasRegex && regex === undefined) return;
    const ban: CompiledBan = {
      index,
      action: rule.action,
      timeoutSec: rule.timeoutSec ?? 600,
      warnText: rule.warnText ?? DEFAULT_WARN_TEXT,
      ...(rule.reason === undefined ? {} : { reason: rule.reason }),
      ...(rule.platforms === undefined ? {} : { platforms: rule.platforms }),
    };
    bans.push(ban);
    if (regex !== undefined) banRegexes.push({ ban: bans.length - 1, regex });
    else {
      banPhrases.push(rule.phrase!);
      banPhraseOwners.push(bans.length - 1);
    }
  });

  const autoReplies: CompiledAutoReply[] = [];
  const replyKeywords: string[] = [];
  const replyKeywordOwners: number[] = [];
  (section.autoReplies ?? []).forEach((rule: AutoReply, index) => {
    const path = [...basePath, 'autoReplies', index];
    let cooldownMs = 0;
    if (rule.cooldown !== undefined) {
      const parsed = parseDuration(rule.cooldown);
      if (parsed === undefined) {
        invalid(issues, [...path, 'cooldown'], `cooldown "${rule.cooldown}" is out of range`, 'Write a duration up to a year, such as "30s" or "5m".');
        return;
      }
      cooldownMs = parsed;
    }
    const base = { index, text: rule.text, cooldownMs, ...(rule.platforms === undefined ? {} : { platforms: rule.platforms }) };
    const match = rule.match as { keyword?: string; command?: string; regex?: { pattern: string; flags?: string } };
    if (match.keyword !== undefined) {
      if (match.keyword.trim() === '') return invalid(issues, [...path, 'match', 'keyword'], 'the keyword is blank', 'Write a keyword with a character other than spaces.');
      autoReplies.push(base);
      replyKeywords.push(match.keyword);
      replyKeywordOwners.push(autoReplies.length - 1);
    } else if (match.command !== undefined) {
      autoReplies.push({ ...base, command: match.command.toLowerCase() });
    } else if (match.regex !== undefined) {
      const regex = ruleRegex(match.regex.pattern, match.regex.flags ?? '', [...path, 'match', 'regex'], issues, false);
      if (regex !== undefined) autoReplies.push({ ...base, regex });
    }
  });

  const limit = section.userRateLimit;
  const compiled: CompiledChatBehaviour = {
    exemptRoles: new Set(section.exemptRoles ?? ['broadcaster', 'moderator']),
    bans,
    banPhrases: new PhraseSet(banPhrases),
    banPhraseOwners,
    banRegexes,
    autoReplies,
    replyKeywords: new PhraseSet(replyKeywords),
    replyKeywordOwners,
    ...(section.firstTimeGreeting !== undefined && section.firstTimeGreeting.enabled !== false
      ? {
          greeting: {
            text: section.firstTimeGreeting.text ?? 'Welcome {user}!',
            ...(section.firstTimeGreeting.platforms === undefined ? {} : { platforms: section.firstTimeGreeting.platforms }),
          },
        }
      : {}),
    ...(limit === undefined
      ? {}
      : {
          rateLimit: {
            messages: limit.messages,
            windowMs: Math.round(limit.perSec * 1000),
            action: limit.action,
            timeoutSec: limit.timeoutSec ?? 60,
            warnText: limit.warnText ?? '{user}, slow down please.',
            ...(limit.platforms === undefined ? {} : { platforms: limit.platforms }),
          },
        }),
  };
  return { compiled, issues };
}

/** True when a rule limited to `platforms` applies on `platform`. */
export function onPlatform(platforms: readonly string[] | undefined, platform: string): boolean {
  return platforms === undefined || platforms.includes(platform);
}
