import { describe, expect, it } from 'vitest';
import { checkKeyFormat, inferKeyAccountType } from './check-key-format';

describe('checkKeyFormat', () => {
  it('wants sk-sp- on Coding Plan and refuses it elsewhere', () => {
    expect(checkKeyFormat({ type: 'coding-plan', apiKey: 'sk-sp-abc' })).toEqual({ ok: true });
    expect(checkKeyFormat({ type: 'standard', apiKey: 'sk-abc' })).toEqual({ ok: true });
    expect(checkKeyFormat({ type: 'token-plan', apiKey: 'tp-anything' })).toEqual({ ok: true });
    const general = checkKeyFormat({ type: 'coding-plan', apiKey: 'sk-abc' });
    expect(general.ok).toBe(false);
    expect(!general.ok && general.message).toContain('sk-sp-');
    const planKeyElsewhere = checkKeyFormat({ type: 'token-plan', apiKey: 'sk-sp-abc' });
    expect(!planKeyElsewhere.ok && planKeyElsewhere.message).toContain('use type coding-plan');
    expect(checkKeyFormat({ type: 'standard', apiKey: 'abc' }).ok).toBe(false);
  });

  it('refuses empty keys and keys with whitespace, never echoing them', () => {
    expect(checkKeyFormat({ type: 'standard', apiKey: '  ' }).ok).toBe(false);
    const spaced = checkKeyFormat({ type: 'standard', apiKey: 'sk-ab cd' });
    expect(!spaced.ok && spaced.message).not.toContain('sk-ab');
  });

  it('infers coding-plan from the sk-sp- prefix, standard otherwise', () => {
    expect(inferKeyAccountType('sk-sp-1')).toBe('coding-plan');
    expect(inferKeyAccountType(' sk-1')).toBe('standard');
  });
});
