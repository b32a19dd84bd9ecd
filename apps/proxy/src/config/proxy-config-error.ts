import { ProxyError } from '../errors/proxy-error';

/** A setting is invalid; start-up stops with a message naming it (env variable and flag). */
export class ProxyConfigError extends ProxyError {
  readonly setting: string;
  constructor({ setting, message }: { setting: string; message: string }) {
    super({ code: 'QWEN_RELAY_INVALID_CONFIG', status: 500, message });
    this.setting = setting;
  }
}
