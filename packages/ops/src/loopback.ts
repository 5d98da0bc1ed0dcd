import { isIP } from 'node:net';

/** Whether `host` names only this machine: `localhost`, 127.0.0.0/8, or ::1 (also as ::ffff:127.x). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) {
    const lower = bare.toLowerCase();
    return lower === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(lower) || lower.startsWith('::ffff:127.');
  }
  return false;
}
