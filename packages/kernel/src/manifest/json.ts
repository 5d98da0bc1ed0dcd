import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export interface JsonPosition {
  line: number;
  column: number;
}

export interface DuplicateKey {
  /** JSON path segments of the duplicated key. */
  path: string[];
  position: JsonPosition;
}

export interface ParsedJson {
  value: unknown;
  duplicates: DuplicateKey[];
  /** Line/column (1-based) of the node at a path, or of its closest existing parent. */
  positionOf(path: readonly (string | number)[]): JsonPosition | undefined;
}

export interface JsonSyntaxError {
  position: JsonPosition;
  problem: string;
}

/**
 * Strict JSON parsing that keeps positions: Node 20's JSON.parse reports no
 * line or column, and silently keeps the last of duplicate keys (a duplicated
 * creator would vanish). jsonc-parser gives both, with comments and trailing
 * commas disallowed so the file stays plain JSON.
 */
export function parseJsonWithPositions(text: string): ParsedJson | JsonSyntaxError {
  const lineStarts = computeLineStarts(text);
  const toPosition = (offset: number): JsonPosition => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined || root === undefined) {
    return {
      position: toPosition(first?.offset ?? 0),
      problem: first === undefined ? 'empty document' : describeParseError(printParseErrorCode(first.error)),
    };
  }
  const duplicates: DuplicateKey[] = [];
  collectDuplicates(root, [], duplicates, toPosition);
  return {
    value: toValue(root),
    duplicates,
    positionOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = nodeAt(root, path.slice(0, depth));
        if (node !== undefined) {
          // Point at the key of a property rather than its value.
          const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
          return toPosition((keyNode ?? node).offset);
        }
      }
      return undefined;
    },
  };
}

export function isJsonSyntaxError(value: ParsedJson | JsonSyntaxError): value is JsonSyntaxError {
  return 'problem' in value;
}

/**
 * The node at a path. Segments are matched by the node's type (an array
 * takes an index, an object a key), so a creator called "123" still works.
 * For duplicated keys the last one wins, as in the parsed value.
 */
function nodeAt(root: Node, path: readonly (string | number)[]): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    if (node.type === 'array') {
      node = node.children?.[Number(segment)];
    } else if (node.type === 'object') {
      const property: Node | undefined = node.children?.findLast((p) => p.children?.[0]?.value === String(segment));
      node = property?.children?.[1];
    } else {
      return undefined;
    }
  }
  return node;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected content after the end of the document',
    InvalidCommentToken: 'comments are not allowed',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return words[code] ?? code;
}

function toValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined || value === undefined) continue;
        // defineProperty: a "__proto__" key must stay data, never a prototype.
        Object.defineProperty(out, String(key.value), { value: toValue(value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
}

function collectDuplicates(
  node: Node,
  path: string[],
  out: DuplicateKey[],
  toPosition: (offset: number) => JsonPosition,
): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key === undefined) continue;
      const name = String(key.value);
      if (seen.has(name)) out.push({ path: [...path, name], position: toPosition(key.offset) });
      seen.add(name);
      if (value !== undefined) collectDuplicates(value, [...path, name], out, toPosition);
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, index) => collectDuplicates(child, [...path, String(index)], out, toPosition));
  }
}
