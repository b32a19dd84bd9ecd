import { ProxyConfigError } from './proxy-config-error';
import {
  convertEnvNameToFlagName,
  SETTING_DEFINITIONS,
  type SettingDefinition,
} from './setting-definitions';

/** Raw value of one setting and where it came from (for error messages). */
export interface RawSetting {
  value: string;
  source: 'flag' | 'env';
}

const DEFINITIONS_BY_FLAG = new Map<string, SettingDefinition>(
  SETTING_DEFINITIONS.flatMap((definition) => [
    [convertEnvNameToFlagName(definition.envName), definition] as const,
    ...(definition.flagAliases ?? []).map((alias) => [alias, definition] as const),
  ]),
);

/**
 * Parses `--kebab-case value`, `--kebab-case=value`, and for booleans `--flag` / `--no-flag`,
 * into raw values keyed by environment variable name. Unknown flags and stray arguments throw.
 */
export function parseCommandLineFlags(argv: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (!argument.startsWith('--')) {
      throw new ProxyConfigError({
        setting: argument,
        message: `Unexpected argument "${argument}": settings are given as --kebab-case flags (see --help).`,
      });
    }
    const equalsIndex = argument.indexOf('=');
    const rawName = argument.slice(2, equalsIndex === -1 ? undefined : equalsIndex);
    const inlineValue = equalsIndex === -1 ? undefined : argument.slice(equalsIndex + 1);
    const negated = rawName.startsWith('no-') && !DEFINITIONS_BY_FLAG.has(rawName);
    const name = negated ? rawName.slice(3) : rawName;
    const definition = DEFINITIONS_BY_FLAG.get(name);
    if (definition === undefined) {
      throw new ProxyConfigError({
        setting: `--${rawName}`,
        message: `Unknown flag --${rawName} (see --help).`,
      });
    }
    if (definition.kind === 'boolean') {
      if (negated && inlineValue !== undefined) {
        throw new ProxyConfigError({
          setting: definition.envName,
          message: `Flag --${rawName} takes no value.`,
        });
      }
      // booleans never consume the next argument, so `--allow-insecure-bind --port 1` stays unambiguous
      values.set(definition.envName, negated ? 'false' : (inlineValue ?? 'true'));
      continue;
    }
    if (negated) {
      throw new ProxyConfigError({
        setting: definition.envName,
        message: `Unknown flag --${rawName} (see --help).`,
      });
    }
    let value = inlineValue;
    if (value === undefined) {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new ProxyConfigError({
          setting: definition.envName,
          message: `Flag --${name} (${definition.envName}) needs a value.`,
        });
      }
      value = next;
      index += 1;
    }
    values.set(definition.envName, value);
  }
  return values;
}
