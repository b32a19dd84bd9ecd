/**
 * The name part of a `Host` header value (RFC 9110 §7.2: `uri-host [":" port]`), lowercased,
 * without the port, the IPv6 brackets or a trailing dot: `LocalHost.:8080` → `localhost`,
 * `[::1]:8080` → `::1`.
 */
export function readHostName(hostHeader: string): string {
  let name = hostHeader.trim().toLowerCase();
  if (name.startsWith('[')) {
    const end = name.indexOf(']');
    name = end === -1 ? name.slice(1) : name.slice(1, end);
  } else {
    const colon = name.indexOf(':');
    // one colon: `name:port`; several: an unbracketed IPv6 address, kept whole
    if (colon !== -1 && name.indexOf(':', colon + 1) === -1) name = name.slice(0, colon);
  }
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
