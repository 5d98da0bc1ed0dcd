/** Building an export section: the schema name from the file, and the schema pieces sections share. */
import { Type, type TSchema } from '@streamsuites/kernel';
import type { ExportSection, Visibility } from './contract.js';

export const iso = (ms: number) => new Date(ms).toISOString();
export const Iso = Type.String({ format: 'date-time' });
export const byString = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function section<T>(
  file: string,
  visibility: Visibility,
  description: string,
  bodySchema: TSchema,
  snapshot: ExportSection<T>['snapshot'],
  watch: ExportSection<T>['watch'] = [],
): ExportSection<T> {
  const name = file.replace(/^.*\//, '').replace(/\.json$/, '');
  return { file, schema: `streamsuites.${name}`, version: 1, visibility, description, bodySchema, snapshot, watch };
}

/** A row of a `runtime/signals/*` file: when, whose, and the event's own fields. */
export const SignalEvent = (fields: Record<string, TSchema>) => Type.Object({ at: Iso, creator: Type.String(), ...fields });
