import { describe, expect, it } from 'vitest';
import { classifyUpstreamLimit } from './classify-upstream-limit';

describe('classifyUpstreamLimit', () => {
  it.each([
    [
      429,
      'limit_requests Requests rate limit exceeded, please try again later.',
      'requests-per-minute',
    ],
    [429, 'You exceeded your current requests list.', 'requests-per-minute'],
    [429, 'Throttling.RateQuota Requests rate limit exceeded', 'requests-per-minute'],
    [429, '', 'requests-per-minute'],
    [
      429,
      'Throttling.AllocationQuota Allocated quota exceeded, please increase your quota limit.',
      'tokens-per-minute',
    ],
    [
      429,
      'insufficient_quota You exceeded your current quota, please check your plan and billing details.',
      'tokens-per-minute',
    ],
    [
      429,
      'Throttling.BurstRate Request rate increased too quickly. To ensure system stability, please adjust your client logic',
      'burst',
    ],
    [
      403,
      'AllocationQuota.FreeTierOnly The free tier of the model has been exhausted. If you wish to continue access the model on a paid basis, please disable the "use free tier only" mode',
      'free-quota-exhausted',
    ],
    [403, 'Your free quota is used up and "stop after free quota" is on', 'free-quota-exhausted'],
  ])('%i %s → %s', (status, text, kind) => {
    expect(classifyUpstreamLimit({ status, text })?.kind).toBe(kind);
  });

  it.each([
    ['hour allocated quota exceeded', '5h'],
    ['week allocated quota exceeded', '7d'],
    ['month allocated quota exceeded', '30d'],
    ['Throttling.AllocationQuota: hour allocated quota exceeded', '5h'],
  ])('plan window "%s" → %s (before the TPM pattern it contains)', (text, window) => {
    expect(classifyUpstreamLimit({ status: 429, text })).toEqual({ kind: 'plan-window', window });
  });

  it('is not fooled by auth, bad requests or server errors', () => {
    expect(
      classifyUpstreamLimit({ status: 401, text: 'invalid access token or token expired' }),
    ).toBeUndefined();
    expect(classifyUpstreamLimit({ status: 403, text: 'invalid api-key' })).toBeUndefined();
    expect(
      classifyUpstreamLimit({ status: 400, text: "model 'x' is not supported" }),
    ).toBeUndefined();
    expect(
      classifyUpstreamLimit({ status: 500, text: 'rate limit of the backend' }),
    ).toBeUndefined();
  });
});
