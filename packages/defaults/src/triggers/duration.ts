const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `"30s"` → 30000. Returns undefined for anything else (callers report the coded error). */
export function parseDuration(input: string): number | undefined {
  const match = DURATION.exec(input.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isFinite(ms) && ms <= 366 * 24 * 3_600_000 ? Math.round(ms) : undefined;
}
