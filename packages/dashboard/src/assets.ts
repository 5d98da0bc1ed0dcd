import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's folder. src/ and dist/ are both one level below the package
 * root, so the same relative URL works from source (tests, tsx) and from the
 * built package.
 */
export const defaultAssetsDir: string = fileURLToPath(new URL('../assets/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The Content-Type of an asset, or undefined for a kind the page never ships. */
export function assetType(file: string): string | undefined {
  return TYPES[extname(file).toLowerCase()];
}
