/**
 * Checks a state handed to a `restore…` function before it is used: version 1 and, for the
 * transforms whose states carry one, the right `kind` (chat states have none). Throws a
 * TypeError naming the state type otherwise.
 */
export function assertStreamStateVersion({
  state,
  kind,
  typeName,
}: {
  state: { version?: unknown; kind?: unknown } | null | undefined;
  kind?: string;
  typeName: string;
}): void {
  if (state?.version !== 1 || (kind !== undefined && state.kind !== kind)) {
    throw new TypeError(`unsupported ${typeName} version`);
  }
}
