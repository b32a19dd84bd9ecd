import { version } from '../../package.json';

/**
 * A truthful User-Agent: the token endpoint answered UA-less refreshes with a WAF page, and
 * pretending to be a browser is not this project's business.
 */
export const TOKEN_MANAGER_USER_AGENT = `qwen-relay/${version} (token-manager; node ${process.versions.node}; ${process.platform})`;
