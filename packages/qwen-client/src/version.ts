import { version } from '../package.json';

/** The version of @qwen-relay/qwen-client, read from its package.json at build time. */
export const QWEN_CLIENT_VERSION: string = version;

/** The default User-Agent: truthful, names qwen-relay, its version and the runtime. */
export function createDefaultUserAgent(): string {
  return `qwen-relay/${QWEN_CLIENT_VERSION} (node ${process.version}; ${process.platform}; ${process.arch})`;
}
