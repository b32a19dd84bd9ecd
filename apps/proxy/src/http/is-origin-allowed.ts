/**
 * Whether a browser `Origin` is one of `corsOrigins` (`CORS_ORIGINS`; `*` allows any). Origins
 * compare case-insensitively, as browsers serialise scheme and host in lower case.
 */
export function isOriginAllowed({
  origin,
  corsOrigins,
}: {
  origin: string;
  corsOrigins: readonly string[];
}): boolean {
  if (corsOrigins.includes('*')) return true;
  const wanted = origin.toLowerCase();
  return corsOrigins.some((allowed) => allowed.toLowerCase() === wanted);
}
