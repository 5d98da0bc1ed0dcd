/**
 * The keyed Live Stream API URL: checked without ever echoing it, and
 * rewritten onto `apiOrigin` (a local fake, a proxy) for requests.
 */

/** Hosts a keyed URL may name. */
export const RUMBLE_API_HOSTS: readonly string[] = Object.freeze(['rumble.com', 'www.rumble.com']);

export interface KeyedUrl {
  /** The URL as configured (a secret). */
  url: string;
  /** The `key` query parameter (a secret). */
  key: string;
  /** Path and query, what is requested from `apiOrigin`. */
  pathAndQuery: string;
}

/**
 * Why a keyed URL is not usable, or undefined when it is. The answer never
 * contains the URL or its key, so it is safe in errors and `validate` output.
 */
export function keyedUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'apiUrl is missing';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'apiUrl is not a URL';
  }
  if (url.protocol !== 'https:') return `apiUrl must use https (it uses ${url.protocol.replace(':', '')})`;
  if (!RUMBLE_API_HOSTS.includes(url.hostname.toLowerCase())) {
    return `apiUrl must be on ${RUMBLE_API_HOSTS.join(' or ')} (its host is not); to reach a local fake or proxy set plugins.rumble.config.apiOrigin instead`;
  }
  if (url.username !== '' || url.password !== '') return 'apiUrl must not carry a user name or password';
  const key = url.searchParams.get('key');
  if (key === null || key.trim() === '') return 'apiUrl has no key: copy the whole URL, including ?key=..., from Rumble';
  return undefined;
}

/** Parses a keyed URL checked by {@link keyedUrlProblem} (throws a plain Error without the URL otherwise). */
export function parseKeyedUrl(value: string): KeyedUrl {
  const problem = keyedUrlProblem(value);
  if (problem !== undefined) throw new Error(problem);
  const url = new URL(value.trim());
  return { url: value.trim(), key: url.searchParams.get('key')!, pathAndQuery: `${url.pathname}${url.search}` };
}

/** The URL requested: the keyed URL's path and query on `apiOrigin`. */
export function requestUrl(keyed: KeyedUrl, apiOrigin: string): string {
  return new URL(keyed.pathAndQuery, apiOrigin.endsWith('/') ? apiOrigin : `${apiOrigin}/`).toString();
}
