import { readFile } from 'node:fs/promises';

/** Files the exports surface marks internal-only (FILES.md); refused by path even before reading. */
export const INTERNAL_ONLY_PATHS: ReadonlySet<string> = new Set([
  'runtime/admin/integrations.json',
  'runtime/admin/permissions.json',
]);

export type StateFileRead =
  | { ok: true; bytes: Buffer; visibility: string | undefined }
  | { ok: false; status: 403 | 404 | 500; code: string; message: string };

/**
 * Reads a state file and decides whether it may be served. The bytes that
 * were checked are the bytes that are sent, so a file swapped between the
 * check and the answer cannot slip through.
 */
export async function readStateFile(file: string, relativePath: string): Promise<StateFileRead> {
  // Case-folded: on case-insensitive file systems RUNTIME/admin/... is the same file.
  if (INTERNAL_ONLY_PATHS.has(relativePath.toLowerCase())) {
    return { ok: false, status: 403, code: 'internal-only', message: `${relativePath} is internal-only` };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return { ok: false, status: 404, code: 'not-found', message: `${relativePath} not found` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, status: 500, code: 'invalid-json', message: `${relativePath} is not valid JSON` };
  }
  const visibility = visibilityOf(parsed);
  if (visibility === 'internal-only') {
    return { ok: false, status: 403, code: 'internal-only', message: `${relativePath} is internal-only` };
  }
  return { ok: true, bytes, visibility };
}

function visibilityOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const meta = (value as { meta?: unknown }).meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const visibility = (meta as { visibility?: unknown }).visibility;
  return typeof visibility === 'string' ? visibility : undefined;
}
