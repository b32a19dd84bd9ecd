// Checks that a package's README lists its public API: every name its `src/index.ts` exports
// appears in the README's `## Public API` section, the names in that section's table are
// exports, and the section fits on a screen. Pure functions over file contents;
// scripts/check-public-api.mjs feeds it the workspace packages.

/** The most lines a Public API section may take ("fits on a screen"). */
export const MAX_PUBLIC_API_LINES = 45;

const IDENTIFIER = /^[A-Za-z_$][\w$]*/;

/** The names an entry file exports, and the `export *` statements that hide names. */
export function listEntryExports(source) {
  const names = new Set();
  const starExports = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const match of code.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of match[1].split(',')) {
      const specifier = part.trim().replace(/^type\s+/, '');
      if (specifier === '') continue;
      const exported = specifier
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (exported) names.add(exported);
    }
  }
  for (const match of code.matchAll(
    /export\s+(?:type\s+)?\*\s+(?:as\s+(\w+)\s+)?from\s+['"]([^'"]+)['"]/g,
  )) {
    if (match[1]) names.add(match[1]);
    else starExports.push(match[2]);
  }
  const declaration =
    /export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g;
  for (const match of code.matchAll(declaration)) names.add(match[1]);
  return { names, starExports };
}

/** The `## Public API` section of a README: its lines, and the line number it starts at. */
export function findPublicApiSection(readme) {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => /^##\s+Public API\s*$/.test(line));
  if (start === -1) return undefined;
  let end = lines.findIndex((line, index) => index > start && /^#{1,2}\s/.test(line));
  if (end === -1) end = lines.length;
  while (end > start + 1 && lines[end - 1]?.trim() === '') end -= 1;
  return { lines: lines.slice(start, end), startLine: start + 1 };
}

function leadingIdentifiersOfCodeSpans(text) {
  return [...text.matchAll(/`([^`]+)`/g)].flatMap((match) => {
    const identifier = IDENTIFIER.exec(match[1].trim())?.[0];
    return identifier === undefined ? [] : [identifier];
  });
}

/** Problems with one package's Public API section (empty when it matches its entry). */
export function findPublicApiProblems({ readme, entrySource }) {
  const { names, starExports } = listEntryExports(entrySource);
  const problems = starExports.map(
    (from) => `src/index.ts: \`export * from '${from}'\` hides the names; export them by name`,
  );
  const section = findPublicApiSection(readme);
  if (section === undefined) {
    return [...problems, 'README.md has no "## Public API" section listing the entry\'s exports'];
  }
  if (section.lines.length > MAX_PUBLIC_API_LINES) {
    problems.push(
      `README.md:${section.startLine}: the Public API section takes ${section.lines.length} lines; keep it to ${MAX_PUBLIC_API_LINES} (one screen)`,
    );
  }
  const mentioned = new Set(leadingIdentifiersOfCodeSpans(section.lines.join('\n')));
  for (const name of names) {
    if (!mentioned.has(name)) {
      problems.push(
        `README.md:${section.startLine}: \`${name}\` is exported but not listed in Public API`,
      );
    }
  }
  // the table's first column names exports: a name there that the entry lacks is stale
  section.lines.forEach((line, index) => {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) return;
    const firstCell = line.split(/(?<!\\)\|/)[1] ?? '';
    for (const identifier of leadingIdentifiersOfCodeSpans(firstCell)) {
      if (!names.has(identifier)) {
        problems.push(
          `README.md:${section.startLine + index}: \`${identifier}\` is listed in Public API but src/index.ts does not export it`,
        );
      }
    }
  });
  return problems;
}
