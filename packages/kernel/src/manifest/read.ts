import { readFile } from 'node:fs/promises';
import { SS_ERR_MANIFEST_DUPLICATE_CREATOR, SS_ERR_MANIFEST_DUPLICATE_KEY, SS_ERR_MANIFEST_NOT_FOUND, SS_ERR_MANIFEST_PARSE } from '../errors.js';
import { pointer, type ManifestIssue } from './issues.js';
import { isJsonSyntaxError, parseJsonWithPositions, type ParsedJson } from './json.js';

/**
 * Reads and parses a manifest file (a leading BOM is ignored). Throws when the
 * file cannot be read or is not JSON; duplicate keys are pushed to `issues`.
 */
export async function readManifestFile(source: string, issues: ManifestIssue[]): Promise<ParsedJson> {
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    throw new SS_ERR_MANIFEST_NOT_FOUND(source, { cause: error, details: { file: source } });
  }
  const result = parseJsonWithPositions(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (isJsonSyntaxError(result)) {
    const { line, column } = result.position;
    throw new SS_ERR_MANIFEST_PARSE(source, line, column, result.problem, { details: { file: source, line, column } });
  }
  for (const duplicate of result.duplicates) {
    const isCreator = duplicate.path.length === 2 && duplicate.path[0] === 'creators';
    issues.push({
      code: isCreator ? SS_ERR_MANIFEST_DUPLICATE_CREATOR.code : SS_ERR_MANIFEST_DUPLICATE_KEY.code,
      path: pointer(duplicate.path),
      message: isCreator ? `creator "${duplicate.path[1]}" is defined more than once` : 'the key appears more than once',
      hint: isCreator ? 'Each creator id must appear once; merge the definitions.' : 'Remove the duplicate keys.',
      position: duplicate.position,
    });
  }
  return result;
}
