import { describe, expect, it } from 'vitest';
import { isJsonContentType } from './is-json-content-type';

describe('isJsonContentType', () => {
  it('accepts application/json with optional parameters, in any case', () => {
    for (const value of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON;charset=UTF-8',
      ' application/json ',
    ]) {
      expect(isJsonContentType(value), value).toBe(true);
    }
  });

  it('refuses the types a page may POST cross-site without a preflight, and no type at all', () => {
    for (const value of [
      undefined,
      '',
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'text/json',
    ]) {
      expect(isJsonContentType(value), String(value)).toBe(false);
    }
  });
});
