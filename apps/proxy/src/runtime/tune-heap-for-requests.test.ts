import { describe, expect, it } from 'vitest';
import { tuneHeapForRequests } from './tune-heap-for-requests';

function tune(execArgv: string[]) {
  const flags: string[] = [];
  const outcome = tuneHeapForRequests({ execArgv, setFlags: (flag) => flags.push(flag) });
  return { outcome, flags };
}

describe('tuneHeapForRequests', () => {
  it('turns allocation-site pretenuring off when node was started without the flag', () => {
    expect(tune([])).toEqual({
      outcome: 'pretenuring-off',
      flags: ['--no-allocation-site-pretenuring'],
    });
    expect(tune(['--enable-source-maps', '--max-old-space-size=512']).flags).toEqual([
      '--no-allocation-site-pretenuring',
    ]);
  });

  it.each([
    '--allocation-site-pretenuring',
    '--no-allocation-site-pretenuring',
    '--noallocation-site-pretenuring',
    '--allocation_site_pretenuring',
    '--no-allocation_site_pretenuring',
    '--allocation-site-pretenuring=true',
  ])('keeps the choice of a node started with %s', (flag) => {
    expect(tune(['--enable-source-maps', flag])).toEqual({
      outcome: 'user-choice-kept',
      flags: [],
    });
  });

  it('is not fooled by a flag that only starts like it', () => {
    expect(tune(['--allocation-site-pretenuring-other']).outcome).toBe('pretenuring-off');
  });
});
