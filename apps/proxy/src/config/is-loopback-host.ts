import { isIP } from 'node:net';

/** True for `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped loopback: addresses only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const normalised = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (normalised === 'localhost' || normalised.endsWith('.localhost')) return true;
  if (normalised === '::1') return true;
  const ipv4 = normalised.startsWith('::ffff:') ? normalised.slice(7) : normalised;
  return isIP(ipv4) === 4 && ipv4.startsWith('127.');
}
