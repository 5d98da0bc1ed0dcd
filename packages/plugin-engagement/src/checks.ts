import type { TriggerDefinition } from '@streamsuites/kernel';
import type { EngagementCreatorConfig } from './config.js';
import { cleanLabel, firstDuplicate, labelProblem } from './labels.js';

/**
 * What the JSON Schema of the creator config cannot say: ids unique within
 * tallies and within scoreboards, and a tally's labels non-empty and
 * distinct (ignoring case). Returns every problem, empty when fine.
 */
export function creatorConfigProblems(config: EngagementCreatorConfig): string[] {
  const problems: string[] = [];
  const duplicateId = (kind: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${kind} id "${id}" is used twice`);
      seen.add(id);
    }
  };
  duplicateId('tally', config.tallies.map((t) => t.id));
  duplicateId('scoreboard', config.scoreboards.map((s) => s.id));
  for (const tally of config.tallies) {
    if (tally.labels === undefined) continue;
    for (const label of tally.labels) {
      const problem = labelProblem(cleanLabel(label));
      if (problem !== undefined) problems.push(`tally "${tally.id}": ${problem}`);
    }
    const duplicate = firstDuplicate(tally.labels);
    if (duplicate !== undefined) problems.push(`tally "${tally.id}": label "${duplicate}" appears twice (labels are compared ignoring case)`);
  }
  return problems;
}

/**
 * Triggers whose literal (untemplated) `tally` or `scoreboard` param names an
 * id the creator's config does not declare: they would fail every time they
 * fire, so the plugin warns when the creator starts.
 */
export function triggerProblems(triggers: readonly (TriggerDefinition & { id: string })[], config: EngagementCreatorConfig): string[] {
  const tallies = new Set(config.tallies.map((t) => t.id));
  const scoreboards = new Set(config.scoreboards.map((s) => s.id));
  const problems: string[] = [];
  for (const trigger of triggers) {
    for (const [index, action] of trigger.actions.entries()) {
      const params = action.params ?? {};
      const check = (key: string, known: Set<string>, kind: string) => {
        const id = params[key];
        if (typeof id === 'string' && !id.includes('{') && !known.has(id)) {
          problems.push(`trigger "${trigger.id}" action ${index} (${action.type}) names unknown ${kind} "${id}"`);
        }
      };
      if (action.type === 'tally.add') check('tally', tallies, 'tally');
      if (action.type === 'score.add') check('scoreboard', scoreboards, 'scoreboard');
    }
  }
  return problems;
}
