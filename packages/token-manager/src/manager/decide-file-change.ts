import type { QwenCredentials } from '../types';

/** What a changed credentials file means for the credentials in memory. */
export type FileChangeDecision =
  /** the file holds the pair the server refused, or the one our unsaved refresh replaced */
  | { action: 'ignore'; why: 'still-rejected' | 'older-than-unsaved' }
  /** the file holds the pair in memory (touched, or rewritten by ourselves) */
  | { action: 'keep'; supersedesUnsaved: boolean }
  /** another program (a login, qwen-code, another proxy) wrote new credentials */
  | { action: 'adopt'; supersedesUnsaved: boolean };

/**
 * Decides what a newly read credentials file leads to. `supersedesUnsaved`: credentials we
 * refreshed but could not write are superseded by a file that no longer holds their predecessor.
 */
export function decideFileChange({
  fileCredentials,
  current,
  rejectedRefreshToken,
  unsavedSupersededRefreshToken,
}: {
  fileCredentials: QwenCredentials;
  current: QwenCredentials | undefined;
  /** the refresh token the server refused; the same file content never leaves needs-reauth */
  rejectedRefreshToken: string | undefined;
  /** with unsaved credentials in memory: the refresh token they replaced */
  unsavedSupersededRefreshToken: string | undefined;
}): FileChangeDecision {
  if (
    rejectedRefreshToken !== undefined &&
    fileCredentials.refresh_token === rejectedRefreshToken
  ) {
    return { action: 'ignore', why: 'still-rejected' };
  }
  const hasUnsaved = unsavedSupersededRefreshToken !== undefined;
  if (hasUnsaved && fileCredentials.refresh_token === unsavedSupersededRefreshToken) {
    return { action: 'ignore', why: 'older-than-unsaved' };
  }
  if (
    current !== undefined &&
    fileCredentials.access_token === current.access_token &&
    fileCredentials.refresh_token === current.refresh_token
  ) {
    return { action: 'keep', supersedesUnsaved: hasUnsaved };
  }
  return { action: 'adopt', supersedesUnsaved: hasUnsaved };
}
