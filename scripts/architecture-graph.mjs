// Checks that the dependency graph drawn in ARCHITECTURE.md is the graph the imports make: every
// `@qwen-relay/*` import of a package's shipped source is an arrow, and every arrow an import.
// Pure functions over file contents; scripts/check-architecture-graph.mjs feeds it the workspace.

const ARROW = '──▶';

/** `apps/cli`, `packages/fake-qwen` or `@qwen-relay/x` → `@qwen-relay/<name>`; else undefined. */
export function normalizePackageName(text) {
  const match = /^(?:@qwen-relay\/|apps\/|packages\/)([a-z][a-z0-9-]*)/.exec(text.trim());
  return match === null ? undefined : `@qwen-relay/${match[1]}`;
}

/**
 * The edges of the first fenced block of ARCHITECTURE.md: a line that starts with a package
 * name opens that package's arrows (`name ──▶ target`, `name: imports nothing`); indented
 * `├──▶ target` / `└──▶ target` lines continue them. Returns package → set of targets.
 */
export function parseDrawnGraph(markdown) {
  const block = /```[^\n]*\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';
  const graph = new Map();
  let current;
  for (const line of block.split('\n')) {
    if (/^\S/.test(line)) {
      current = normalizePackageName(line);
      if (current !== undefined && !graph.has(current)) graph.set(current, new Set());
    }
    const arrowAt = line.indexOf(ARROW);
    if (current === undefined || arrowAt === -1) continue;
    const target = normalizePackageName(line.slice(arrowAt + ARROW.length));
    if (target !== undefined) graph.get(current).add(target);
  }
  return graph;
}

/** The `@qwen-relay/*` packages a source file imports (subpaths such as `/internal` folded in). */
export function listWorkspaceImports(source) {
  const targets = new Set();
  const pattern =
    /(?:from\s*|import\s*\(\s*|import\s+)['"](@qwen-relay\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g;
  for (const match of source.matchAll(pattern)) targets.add(match[1]);
  return targets;
}

/** Differences between the drawn graph and the imports (package → imported packages). */
export function findGraphProblems({ drawn, imported }) {
  const problems = [];
  for (const [name, targets] of imported) {
    const drawnTargets = drawn.get(name);
    if (drawnTargets === undefined) {
      problems.push(`${name} is not in the graph`);
      continue;
    }
    for (const target of targets) {
      if (target !== name && !drawnTargets.has(target)) {
        problems.push(`${name} imports ${target}, but the graph draws no such arrow`);
      }
    }
  }
  for (const [name, targets] of drawn) {
    for (const target of targets) {
      if (!imported.get(name)?.has(target)) {
        problems.push(
          `the graph draws ${name} ──▶ ${target}, but ${name}'s source does not import it`,
        );
      }
    }
  }
  return problems;
}
