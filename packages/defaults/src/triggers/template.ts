import type { ActionDescriptor, ChatMessage } from '@streamsuites/kernel';

const TOKEN = /"([^"]*)"|(\S+)/g;

/**
 * Splits chat text into tokens on whitespace; double quotes group words:
 * `!clip 45 "funny moment"` → ['!clip', '45', 'funny moment'].
 */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(TOKEN)) out.push(match[1] ?? match[2]!);
  return out;
}

const PLACEHOLDER = /\{(user|login|userId|channel|platform|creator|text|args|args:(\d{1,2})|arg(\d{1,2})|event\.[A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)\}/g;

/** True when a string contains a placeholder (its final value is only known at fire time). */
export function hasPlaceholder(value: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(value);
}

/**
 * Fills placeholders in every string of the action params:
 * `{user}` display name, `{login}`, `{userId}`, `{channel}`, `{platform}`,
 * `{creator}`, `{text}` the whole message, `{args}` all arguments,
 * `{args:N}` arguments from the Nth on, `{argN}` the Nth (1-based; empty when
 * absent). With `eventValue` (actions of `event` triggers), `{event.<path>}` is
 * the event's field at that dotted path; without it, it stays as it is.
 * Unknown `{words}` stay as they are.
 */
export function fillActions(
  actions: readonly ActionDescriptor[],
  message: ChatMessage,
  args: readonly string[],
  eventValue?: (path: string) => string,
): ActionDescriptor[] {
  const values = (key: string, from?: string, nth?: string): string => {
    if (nth !== undefined) return args[Number(nth) - 1] ?? '';
    if (from !== undefined) return args.slice(Math.max(0, Number(from) - 1)).join(' ');
    switch (key) {
      case 'user':
        return message.author.displayName;
      case 'login':
        return message.author.login;
      case 'userId':
        return message.author.id;
      case 'channel':
        return message.channel;
      case 'platform':
        return message.platform;
      case 'creator':
        return message.creatorId;
      case 'text':
        return message.text;
      default:
        return args.join(' ');
    }
  };
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.includes('{')
        ? value.replace(PLACEHOLDER, (whole, key: string, from?: string, nth?: string) =>
            key.startsWith('event.') ? (eventValue === undefined ? whole : eventValue(key.slice('event.'.length))) : values(key, from, nth),
          )
        : value;
    }
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  return actions.map((action) => ({ ...action, params: fill(action.params) as Record<string, unknown> }));
}
