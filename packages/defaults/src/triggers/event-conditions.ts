/**
 * `where` conditions of `event` triggers, compiled once at load into one
 * test per field path. A field that is missing, or of another type than the
 * operator needs, fails the condition (never a throw).
 */
export type Scalar = string | number | boolean | null;

export interface ConditionOperators {
  eq?: Scalar;
  gte?: number;
  gt?: number;
  lte?: number;
  lt?: number;
  in?: Scalar[];
  contains?: string;
}

/** A value (equality) or operators (all must hold). */
export type ConditionOperand = Scalar | ConditionOperators;

export interface CompiledCondition {
  path: string;
  test(payload: Record<string, unknown>): boolean;
}

/** The value at a dotted path of a payload (undefined when any step is missing). */
export function valueAt(payload: unknown, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** `null` also matches a missing field (an anonymous cheer has no `user`). */
function equals(value: unknown, expected: Scalar): boolean {
  return expected === null ? value === null || value === undefined : value === expected;
}

export function compileConditions(where: Readonly<Record<string, ConditionOperand>>): CompiledCondition[] {
  return Object.entries(where).map(([path, operand]) => {
    const steps = path.split('.');
    const tests: ((value: unknown) => boolean)[] = [];
    if (operand === null || typeof operand !== 'object') {
      tests.push((value) => equals(value, operand));
    } else {
      const { eq, gte, gt, lte, lt, contains } = operand;
      if (eq !== undefined) tests.push((value) => equals(value, eq));
      if (gte !== undefined) tests.push((value) => typeof value === 'number' && value >= gte);
      if (gt !== undefined) tests.push((value) => typeof value === 'number' && value > gt);
      if (lte !== undefined) tests.push((value) => typeof value === 'number' && value <= lte);
      if (lt !== undefined) tests.push((value) => typeof value === 'number' && value < lt);
      if (operand.in !== undefined) {
        const allowed = operand.in;
        tests.push((value) => allowed.some((expected) => equals(value, expected)));
      }
      if (contains !== undefined) {
        const needle = contains.toLowerCase();
        tests.push((value) => typeof value === 'string' && value.toLowerCase().includes(needle));
      }
    }
    return {
      path,
      test(payload) {
        const value = valueAt(payload, steps);
        return tests.every((t) => t(value));
      },
    };
  });
}
