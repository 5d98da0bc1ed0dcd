import type { ActionDescriptor, ChatMessage } from '@streamsuites/kernel';
import { isSpace } from './trigger-index.js';


/**
 * Splits chat text into tokens on whitespace; double quotes group words:
 * `!clip 45 "funny moment"` → ['!clip', '45', 'funny moment'].
 */
export function splitArgs(text: string): string[] {
  // What /"([^"]*)"|(\S+)/g finds, read by hand: no match objects per token.
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    if (text.charCodeAt(i) === QUOTE) {
      const close = text.indexOf('"', i + 1);
      if (close !== -1) {
        out.push(text.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    let end = i + 1;
    while (end < n && !isSpace(text.charCodeAt(end))) end++;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

const QUOTE = 34;

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
 * Unknown `{words}` stay as they are. The params are copied (arrays and
 * objects are new), so a caller may change what it gets.
 */
export function fillActions(
  actions: readonly ActionDescriptor[],
  message: ChatMessage,
  args: readonly string[],
  eventValue?: (path: string) => string,
): ActionDescriptor[] {
  return compileActions(actions)(message, args, eventValue);
}

/** {@link fillActions} for the same actions, many times: the templates are read once. */
export type ActionFiller = (message: ChatMessage, args: readonly string[], eventValue?: (path: string) => string) => ActionDescriptor[];

/**
 * Reads the actions' templates once (the strings are split into text and
 * placeholders) and returns the function that fills them for one message:
 * what a trigger does on every match, without scanning its params again.
 */
export function compileActions(actions: readonly ActionDescriptor[]): ActionFiller {
  const compiled = actions.map((action) => ({ action, params: compileValue(action.params) }));
  return (message, args, eventValue) => {
    const fill: Fill = { message, args, eventValue };
    const out: ActionDescriptor[] = new Array(compiled.length);
    for (let i = 0; i < compiled.length; i++) {
      const { action, params } = compiled[i]!;
      out[i] = { ...action, params: params(fill) as Record<string, unknown> };
    }
    return out;
  };
}

interface Fill {
  message: ChatMessage;
  args: readonly string[];
  eventValue: ((path: string) => string) | undefined;
}

interface Placeholder {
  whole: string;
  key: string;
  from: string | undefined;
  nth: string | undefined;
}

/** A params value as a function of the message: strings split at their placeholders, containers copied. */
function compileValue(value: unknown): (fill: Fill) => unknown {
  if (typeof value === 'string') {
    if (!value.includes('{')) return () => value;
    const parts: (string | Placeholder)[] = [];
    let last = 0;
    PLACEHOLDER.lastIndex = 0; // matchAll starts where the shared regex's last test() stopped
    for (const found of value.matchAll(PLACEHOLDER)) {
      if (found.index > last) parts.push(value.slice(last, found.index));
      parts.push({ whole: found[0], key: found[1]!, from: found[2], nth: found[3] });
      last = found.index + found[0].length;
    }
    if (parts.length === 0) return () => value;
    if (last < value.length) parts.push(value.slice(last));
    return (fill) => {
      let out = '';
      for (const part of parts) out += typeof part === 'string' ? part : resolve(part, fill);
      return out;
    };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileValue);
    return (fill) => items.map((item) => item(fill));
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const items = keys.map((key) => compileValue((value as Record<string, unknown>)[key]));
    // `__proto__` as a key must stay an own property (as Object.fromEntries makes it), not set the prototype.
    if (keys.includes('__proto__')) return (fill) => Object.fromEntries(keys.map((key, i) => [key, items[i]!(fill)]));
    return (fill) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]!] = items[i]!(fill);
      return out;
    };
  }
  return () => value;
}

function resolve({ whole, key, from, nth }: Placeholder, { message, args, eventValue }: Fill): string {
  if (key.startsWith('event.')) return eventValue === undefined ? whole : eventValue(key.slice('event.'.length));
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
}
