import { convertEnvNameToFlagName, SETTING_DEFINITIONS } from './setting-definitions';

/** The `--help` text: every setting as flag, environment variable, default and meaning. */
export function formatProxyConfigHelp(): string {
  const rows = SETTING_DEFINITIONS.map((definition) => {
    const flags = [convertEnvNameToFlagName(definition.envName), ...(definition.flagAliases ?? [])]
      .map((name) => `--${name}`)
      .join(', ');
    const value = definition.kind === 'boolean' ? '' : ' <value>';
    return `  ${flags}${value}\n      ${definition.envName} (default ${definition.defaultText}): ${definition.description}`;
  });
  return [
    'Usage: qwen-relay-proxy [flags]',
    '',
    'Every flag also works as an environment variable; a .env file in the working directory is read.',
    '',
    ...rows,
  ].join('\n');
}
