import { randomBytes } from 'node:crypto';
import type { FakePlanRegion, FakePlanType } from './plan-hosts';

/** A key the fake issued for one plan in one region. */
export interface FakePlanKey {
  type: FakePlanType;
  region: FakePlanRegion;
}

/** Server-side registry of plan keys: which product and region each key belongs to. */
export interface PlanKeyStore {
  issue(options: { type: FakePlanType; region: FakePlanRegion }): string;
  /** registers a given key (e.g. a malformed one a test wants to send) */
  register(options: { key: string; type: FakePlanType; region: FakePlanRegion }): void;
  revoke(key: string): void;
  lookup(key: string): FakePlanKey | undefined;
}

/**
 * Creates the registry. Coding Plan keys are `sk-sp-` + 32 hex characters, the others `sk-` +
 * 32 hex (the real format of Token Plan keys is not documented; only "not sk-sp-" is).
 */
export function createPlanKeyStore(): PlanKeyStore {
  const keys = new Map<string, FakePlanKey>();
  return {
    issue({ type, region }) {
      const key = `${type === 'coding-plan' ? 'sk-sp-' : 'sk-'}${randomBytes(16).toString('hex')}`;
      keys.set(key, { type, region });
      return key;
    },
    register({ key, type, region }) {
      keys.set(key, { type, region });
    },
    revoke(key) {
      keys.delete(key);
    },
    lookup: (key) => keys.get(key),
  };
}
