import { labelKey } from './labels.js';

/**
 * Reads a chat line as a vote: `<voteCommand> <n>` (1-based option number,
 * `#2` works too) or `<voteCommand> <option label>` (case-insensitive;
 * surrounding double quotes are ignored). An exact label match wins over a
 * number, so a poll with options `2024` and `2025` takes `!vote 2025` as
 * the label. Returns the 0-based option index, or undefined when the line is
 * not a vote for one of the options.
 */
export function parseVote(text: string, voteCommand: string, options: readonly string[]): number | undefined {
  const trimmed = text.trimStart();
  const space = trimmed.search(/\s/u);
  if (space === -1) return undefined;
  const command = trimmed.slice(0, space);
  if (command !== voteCommand && command.toLowerCase() !== voteCommand.toLowerCase()) return undefined;
  let choice = trimmed.slice(space).trim();
  if (choice.length >= 2 && choice.startsWith('"') && choice.endsWith('"')) choice = choice.slice(1, -1);
  const key = labelKey(choice);
  if (key === '') return undefined;
  const byLabel = optionKeys(options).indexOf(key);
  if (byLabel !== -1) return byLabel;
  const number = /^#?(\d{1,3})$/u.exec(key);
  if (number === null) return undefined;
  const index = Number(number[1]) - 1;
  return index >= 0 && index < options.length ? index : undefined;
}

/** Label keys per options list (the open poll's is the same array on every vote), with the labels they were made from. */
const keyCache = new WeakMap<readonly string[], { labels: string[]; keys: string[] }>();

/** The label keys of `options`, in order; made again when the list changed since (it is the caller's array). */
function optionKeys(options: readonly string[]): readonly string[] {
  const cached = keyCache.get(options);
  if (cached !== undefined && sameLabels(cached.labels, options)) return cached.keys;
  const fresh = { labels: [...options], keys: options.map(labelKey) };
  keyCache.set(options, fresh);
  return fresh.keys;
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
