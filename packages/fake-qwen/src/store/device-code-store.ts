import { randomBytes, randomInt } from 'node:crypto';

/** Where a device authorization stands (RFC 8628). */
export type DeviceCodeState = 'pending' | 'approved' | 'denied' | 'consumed';

/** One issued device code. */
export interface DeviceCodeRecord {
  deviceCode: string;
  userCode: string;
  codeChallenge: string;
  expiresAtInMs: number;
  state: DeviceCodeState;
  /** set by `expire()`: expired regardless of the clock */
  forcedExpired: boolean;
  lastPollAtInMs?: number;
}

/** Device codes issued by the fake, addressable by device code and user code. */
export interface DeviceCodeStore {
  issue(options: { codeChallenge: string; expiresInSeconds: number }): DeviceCodeRecord;
  findByDeviceCode(deviceCode: string): DeviceCodeRecord | undefined;
  /** throws when the user code was never issued, so tests notice typos */
  getByUserCode(userCode: string): DeviceCodeRecord;
  isExpired(record: DeviceCodeRecord): boolean;
  readonly userCodes: readonly string[];
}

const USER_CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function createUserCode(): string {
  let userCode = '';
  for (let index = 0; index < 8; index += 1) {
    userCode += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  }
  return userCode;
}

/** Creates an empty device-code store; expiry is judged with `now` (epoch ms). */
export function createDeviceCodeStore({ now }: { now: () => number }): DeviceCodeStore {
  const byDeviceCode = new Map<string, DeviceCodeRecord>();
  const byUserCode = new Map<string, DeviceCodeRecord>();
  const userCodes: string[] = [];
  return {
    issue({ codeChallenge, expiresInSeconds }) {
      let userCode = createUserCode();
      while (byUserCode.has(userCode)) userCode = createUserCode();
      const record: DeviceCodeRecord = {
        deviceCode: `dc_${randomBytes(24).toString('base64url')}`,
        userCode,
        codeChallenge,
        expiresAtInMs: now() + expiresInSeconds * 1000,
        state: 'pending',
        forcedExpired: false,
      };
      byDeviceCode.set(record.deviceCode, record);
      byUserCode.set(userCode, record);
      userCodes.push(userCode);
      return record;
    },
    findByDeviceCode(deviceCode) {
      return byDeviceCode.get(deviceCode);
    },
    getByUserCode(userCode) {
      const record = byUserCode.get(userCode);
      if (!record) throw new Error(`fake-qwen: unknown user code ${userCode}`);
      return record;
    },
    isExpired(record) {
      return record.forcedExpired || now() >= record.expiresAtInMs;
    },
    userCodes,
  };
}
