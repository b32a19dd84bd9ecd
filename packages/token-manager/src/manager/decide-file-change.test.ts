import { describe, expect, it } from 'vitest';
import type { QwenCredentials } from '../types';
import { decideFileChange } from './decide-file-change';

const credentials = (suffix: string): QwenCredentials => ({
  access_token: `access-${suffix}`,
  refresh_token: `refresh-${suffix}`,
  token_type: 'Bearer',
  expiry_date: 1_000_000,
  resource_url: 'portal.qwen.ai',
});

const none = { rejectedRefreshToken: undefined, unsavedSupersededRefreshToken: undefined };

describe('decideFileChange', () => {
  it('adopts new credentials, and the first ones read', () => {
    expect(
      decideFileChange({ ...none, fileCredentials: credentials('b'), current: credentials('a') }),
    ).toEqual({ action: 'adopt', supersedesUnsaved: false });
    expect(
      decideFileChange({ ...none, fileCredentials: credentials('a'), current: undefined }),
    ).toEqual({ action: 'adopt', supersedesUnsaved: false });
  });

  it('keeps the credentials in memory when the file holds the same pair', () => {
    expect(
      decideFileChange({ ...none, fileCredentials: credentials('a'), current: credentials('a') }),
    ).toEqual({ action: 'keep', supersedesUnsaved: false });
    // a new access token with the same refresh token is new credentials
    expect(
      decideFileChange({
        ...none,
        fileCredentials: { ...credentials('a'), access_token: 'access-other' },
        current: credentials('a'),
      }),
    ).toEqual({ action: 'adopt', supersedesUnsaved: false });
  });

  it('ignores the refused refresh token however the file was touched or rewritten', () => {
    expect(
      decideFileChange({
        ...none,
        fileCredentials: { ...credentials('a'), access_token: 'access-rewritten' },
        current: credentials('a'),
        rejectedRefreshToken: 'refresh-a',
      }),
    ).toEqual({ action: 'ignore', why: 'still-rejected' });
  });

  it('ignores the file while it holds what unsaved credentials replaced, else they are superseded', () => {
    const unsaved = { ...none, unsavedSupersededRefreshToken: 'refresh-a' };
    expect(
      decideFileChange({
        ...unsaved,
        fileCredentials: credentials('a'),
        current: credentials('b'),
      }),
    ).toEqual({ action: 'ignore', why: 'older-than-unsaved' });
    expect(
      decideFileChange({
        ...unsaved,
        fileCredentials: credentials('c'),
        current: credentials('b'),
      }),
    ).toEqual({ action: 'adopt', supersedesUnsaved: true });
    expect(
      decideFileChange({
        ...unsaved,
        fileCredentials: credentials('b'),
        current: credentials('b'),
      }),
    ).toEqual({ action: 'keep', supersedesUnsaved: true });
  });
});
