import { QwenRelayError } from '@qwen-relay/contracts';

/** A setting is invalid; start-up stops with a message naming it (env variable and flag). */
export class ProxyConfigError extends QwenRelayError {
  readonly setting: string;
  constructor({ setting, message }: { setting: string; message: string }) {
    super({ code: 'QWEN_RELAY_INVALID_CONFIG', message });
    this.setting = setting;
  }
}
