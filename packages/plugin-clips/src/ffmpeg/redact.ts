/**
 * Secret-free text for errors, logs and status events. Input URLs of live
 * streams carry credentials in their query strings (Twitch `sig`/`token`,
 * signed CDN URLs) or user info (`rtmp://user:pass@host`); ffmpeg echoes them
 * on stderr. Every URL keeps its scheme, host and path; the query, fragment
 * and user info are replaced.
 */

export const REDACTED_MEDIA = '[redacted]';

const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s/?#'"@]*@)?([^\s?#'"]*)([?#][^\s'"]*)?/gi;

/** `text` with every URL's user info and query/fragment masked. */
export function redactMediaText(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (_m, scheme: string, userinfo: string | undefined, rest: string, query: string | undefined) => {
    let out = scheme;
    if (userinfo) out += `${REDACTED_MEDIA}@`;
    out += rest;
    if (query) out += `${query[0]}${REDACTED_MEDIA}`;
    return out;
  });
}

/** A printable, secret-free command line for `args` (for error details only; never executed). */
export function describeArgs(binary: string, args: readonly string[]): string {
  const all = [binary, ...args];
  return all.map((arg, i) => {
    // Header values (cookies, keys) after -headers or -cookies are masked, names kept.
    const after = all[i - 1];
    if (after === '-headers') arg = arg.replace(/^([^:\r\n]+):[^\r\n]*/gm, `$1: ${REDACTED_MEDIA}`);
    else if (after === '-cookies') arg = REDACTED_MEDIA;
    const clean = redactMediaText(arg);
    return /^[\w@%+=:,./\\?[\]-]+$/.test(clean) ? clean : JSON.stringify(clean);
  }).join(' ');
}

/** Combines the URL redaction with an optional caller's redactor (e.g. the kernel's SecretRegistry). */
export function makeRedactor(extra?: (text: string) => string): (text: string) => string {
  return extra ? (text) => redactMediaText(extra(text)) : redactMediaText;
}
