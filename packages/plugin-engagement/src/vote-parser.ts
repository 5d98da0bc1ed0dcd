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
  const command = space === -1 ? trimmed : trimmed.slice(0, space);
  if (command.toLowerCase() !== voteCommand.toLowerCase() || space === -1) return undefined;
  let choice = trimmed.slice(space).trim();
  if (choice.length >= 2 && choice.startsWith('"') && choice.endsWith('"')) choice = choice.slice(1, -1);
  const key = labelKey(choice);
  if (key === '') return undefined;
  const byLabel = options.findIndex((option) => labelKey(option) === key);
  if (byLabel !== -1) return byLabel;
  const number = /^#?(\d{1,3})$/u.exec(key);
  if (number === null) return undefined;
  const index = Number(number[1]) - 1;
  return index >= 0 && index < options.length ? index : undefined;
}
