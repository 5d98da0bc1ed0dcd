import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { defaultAssetsDir } from './assets.js';
import { isWithin } from './paths.js';
import { SS_ERR_DASHBOARD_ASSETS_MISSING, SS_ERR_DASHBOARD_BUILD_FAILED, SS_ERR_DASHBOARD_BUILD_INVALID, SS_ERR_DASHBOARD_BUILD_NOT_EMPTY } from './errors.js';

export interface StaticDashboardOptions {
  /** The folder to write: index.html, assets/…, .nojekyll. Created when missing; refused when not empty unless `force`. */
  outDir: string;
  /**
   * Absolute http(s) URL of a state root the page falls back to when no
   * state is published beside it (a trailing `/` is added). Without it the
   * page says no state root was found.
   */
  fallbackStateRoot?: string;
  /** Replace whatever `outDir` holds. */
  force?: boolean;
  /** The page's folder (default: this package's `assets/`). */
  assetsDir?: string;
}

export interface StaticDashboardBuild {
  /** The folder written, absolute. */
  outDir: string;
  /** Every file written, relative to `outDir` with `/`, sorted. */
  files: string[];
}

const MODE_META = 'streamsuites-mode';
const FALLBACK_META = 'streamsuites-fallback-state-root';

/** Escapes a value for a double-quoted HTML attribute. */
export function escapeHtmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The fallback as the page will use it: an absolute http(s) URL ending with
 * `/`, without credentials, query or fragment (they would be published in the
 * page, or dropped when the page resolves the files).
 */
export function normalizeFallbackStateRoot(value: string): string {
  const invalid = (problem: string) => new SS_ERR_DASHBOARD_BUILD_INVALID('fallback state root', `"${value}" ${problem}`);
  const trimmed = value.trim();
  if (trimmed === '') throw invalid('is empty');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid('is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`uses ${url.protocol} (only http: and https: can be fetched by the page)`);
  if (url.username !== '' || url.password !== '') throw invalid('contains a user name or password, which would be published in the page');
  if (url.search !== '' || url.hash !== '') throw invalid('has a ?query or #fragment; a state root is a folder URL');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** Replaces (or, when missing, adds before </head>) `<meta name="…" content="…">`. */
function setMeta(html: string, name: string, content: string): string {
  const tag = `<meta name="${name}" content="${escapeHtmlAttribute(content)}">`;
  const existing = new RegExp(`<meta\\b[^>]*\\bname\\s*=\\s*(["']?)${name}\\1(?=[\\s/>])[^>]*>`, 'gi');
  if (existing.test(html)) return html.replace(existing, () => tag);
  const head = /<\/head\s*>/i.exec(html);
  if (head === null) throw new SS_ERR_DASHBOARD_BUILD_FAILED(name, 'the page\'s index.html has no </head> to hold the static-mode tag');
  return `${html.slice(0, head.index)}  ${tag}\n${html.slice(head.index)}`;
}

/** The page's files, relative with `/`, sorted; regular files only, dotfiles left out. */
async function listAssets(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (prefix: string) => {
    for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  await walk('');
  return out.sort();
}

/** `child` is `parent` or inside it (paths.ts' isWithin, which leaves out the folder itself). */
const isInside = (child: string, parent: string) => child === parent || isWithin(parent, child);

/** Entries of `dir`, or undefined when it does not exist; a file there is an error. */
async function existingEntries(dir: string): Promise<string[] | undefined> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SS_ERR_DASHBOARD_BUILD_FAILED(dir, (error as Error).message, { cause: error });
  }
  if (!info.isDirectory()) throw new SS_ERR_DASHBOARD_BUILD_NOT_EMPTY(dir, 'is a file, not a folder');
  return readdir(dir);
}

/**
 * Writes the dashboard page as static files for any static host (GitHub
 * Pages, a bucket): `index.html` (in static mode, with the fallback state
 * root), `assets/…` and `.nojekyll`, and nothing else. The page is built in a
 * folder beside `outDir` and renamed into place, so a failed build leaves
 * `outDir` as it was.
 */
export async function buildStaticDashboard(options: StaticDashboardOptions): Promise<StaticDashboardBuild> {
  if (typeof options.outDir !== 'string' || options.outDir.trim() === '') {
    throw new SS_ERR_DASHBOARD_BUILD_INVALID('output folder', 'is not given');
  }
  const fallback = options.fallbackStateRoot === undefined ? '' : normalizeFallbackStateRoot(options.fallbackStateRoot);
  const outDir = resolve(options.outDir);
  const assetsDir = resolve(options.assetsDir ?? defaultAssetsDir);
  if (isInside(assetsDir, outDir) || isInside(outDir, assetsDir)) {
    throw new SS_ERR_DASHBOARD_BUILD_INVALID('output folder', `"${outDir}" overlaps the page's own folder ${assetsDir}`);
  }
  if (dirname(outDir) === outDir) throw new SS_ERR_DASHBOARD_BUILD_INVALID('output folder', `"${outDir}" is a filesystem root`);

  let assets: string[];
  let html: string;
  try {
    assets = await listAssets(assetsDir);
    html = await readFile(join(assetsDir, 'index.html'), 'utf8');
  } catch (error) {
    throw new SS_ERR_DASHBOARD_ASSETS_MISSING(assetsDir, { cause: error });
  }
  html = setMeta(setMeta(html, MODE_META, 'static'), FALLBACK_META, fallback);

  const existing = await existingEntries(outDir);
  if (existing !== undefined && existing.length > 0 && options.force !== true) {
    throw new SS_ERR_DASHBOARD_BUILD_NOT_EMPTY(outDir, `is not empty (${existing.length} entr${existing.length === 1 ? 'y' : 'ies'})`);
  }

  const parent = dirname(outDir);
  const tag = `${process.pid}-${randomUUID().slice(0, 8)}`;
  // Beside outDir (same filesystem, so the renames below are atomic); mkdir's default mode, not mkdtemp's 0700, so a web server can read it.
  const staging = join(parent, `.${basename(outDir)}.build-${tag}`);
  const files = ['.nojekyll', 'index.html', ...assets.filter((file) => file !== 'index.html').map((file) => `assets/${file}`)].sort();
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(staging);
    await writeFile(join(staging, '.nojekyll'), '');
    await writeFile(join(staging, 'index.html'), html);
    for (const file of assets) {
      if (file === 'index.html') continue;
      const target = join(staging, 'assets', ...file.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await readFile(join(assetsDir, ...file.split('/'))));
    }
    if (existing === undefined) {
      await rename(staging, outDir);
    } else if (existing.length === 0) {
      await rmdir(outDir);
      await rename(staging, outDir);
    } else {
      // --force: swap the old folder out, the new one in, then delete the old one.
      const old = join(parent, `.${basename(outDir)}.old-${tag}`);
      await rename(outDir, old);
      try {
        await rename(staging, outDir);
      } catch (error) {
        await rename(old, outDir).catch(() => undefined);
        throw error;
      }
      await rm(old, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if ((error as { code?: unknown }).code?.toString().startsWith('SS_ERR_')) throw error;
    throw new SS_ERR_DASHBOARD_BUILD_FAILED(outDir, (error as Error).message, { cause: error });
  }
  return { outDir, files };
}
