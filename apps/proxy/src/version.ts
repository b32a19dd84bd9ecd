import { version } from '../package.json';

/** The version of the proxy, read from its package.json at build time (heartbeats, status). */
export const PROXY_VERSION: string = version;
