import type { SecretRegistry } from '../redact.js';
import { SS_ERR_MANIFEST_ENV_MISSING, SS_ERR_MANIFEST_SCHEMA } from '../errors.js';
import { pointer, type ManifestIssue } from './issues.js';

const ENV_REF = /\$?\$\{env:([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${env:NAME}` in every string of the manifest. A missing or
 * malformed variable is an issue at the string's path. Substituted values are
 * registered as secrets: env vars are how tokens reach a manifest. `$${env:X}`
 * stays as the literal text `${env:X}`.
 */
export function substituteEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  secrets: SecretRegistry,
  issues: ManifestIssue[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${env:')) return value;
    return value.replace(ENV_REF, (match, name: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      if (!ENV_NAME.test(name)) {
        issues.push({
          code: SS_ERR_MANIFEST_SCHEMA.code,
          path: pointer(path),
          message: `"${match}" is not a valid environment reference`,
          hint: 'Write ${env:NAME} with NAME made of letters, digits and "_".',
        });
        return '';
      }
      const resolved = env[name];
      if (resolved === undefined) {
        issues.push({
          code: SS_ERR_MANIFEST_ENV_MISSING.code,
          path: pointer(path),
          message: `environment variable ${name} is not set`,
          hint: `Set ${name} in the environment of the process.`,
        });
        return '';
      }
      secrets.add(resolved);
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, secrets, issues, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: substituteEnv(item, env, secrets, issues, [...path, key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
