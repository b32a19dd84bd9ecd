/**
 * Writes settings as a `.env` file that `qwen-relay serve` reads back unchanged (node's
 * `util.parseEnv`): single quotes keep a value literal (`#`, `$`, spaces); a value holding a
 * single quote goes in double quotes. Values with both quote kinds or a line break are refused.
 */
export function formatEnvFile({
  settings,
  header,
}: {
  settings: ReadonlyArray<readonly [string, string]>;
  header: readonly string[];
}): string {
  const lines = header.map((line) => `# ${line}`);
  for (const [name, value] of settings) {
    if (/[\r\n]/.test(value) || (value.includes("'") && value.includes('"'))) {
      throw new Error(`${name} cannot be written to a .env file (line break or both quote kinds)`);
    }
    lines.push(value.includes("'") ? `${name}="${value}"` : `${name}='${value}'`);
  }
  return `${lines.join('\n')}\n`;
}
