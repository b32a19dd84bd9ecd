// Finds citations that do not resolve: `docs/<file>.md §N.M` sections and `file.md#anchor` links
// that do not exist, `§` numbers without a source, and citations of design documents that live
// outside the repository. Pure functions over file contents; scripts/check-doc-references.mjs
// feeds it the repository.
import path from 'node:path';

/** Names of documents that are not in the repository; citing them is an error. */
const OUTSIDE_CITATIONS = [
  {
    pattern: /(?<![\w/.-])(?:DESIGN|STYLE|HELPERS)\.md\b/,
    what: 'a design document outside the repository',
  },
  {
    pattern: /\breference\/[\w-]+\.md\b|\breference §/,
    what: 'a reference outside the repository',
  },
  { pattern: /(?:\.\.\/|\/work\/)shared\//, what: 'a shared folder outside the repository' },
  { pattern: /\b(?:user-pain)\.md\b/, what: 'a reference outside the repository' },
];

const SOURCE_PATTERN = /(?<![\w./-])([\w./-]*[\w-]\.md)\b|\b(RFC\s?\d+)/g;
const SECTION_PATTERN = /§\s?(\d+(?:\.\d+)*)(?:\s?[-–]\s?(\d+(?:\.\d+)*))?/g;
const HEADING_PATTERN = /^#{1,6}\s+(.*?)\s*#*\s*$/;
const NUMBERED_HEADING_PATTERN = /^(\d+(?:\.\d+)*)\.?\s/;
const MARKDOWN_LINK_PATTERN = /\]\(([^)\s]+?\.md)(?:#([^)\s]+))?\)/g;

/** GitHub's anchor for a heading text: lowercase, punctuation dropped, spaces to hyphens. */
export function convertHeadingToAnchor(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The section numbers (`2`, `2.6`) and anchors of one markdown document. */
export function parseDocumentOutline(text) {
  const sectionNumbers = new Set();
  const anchors = new Set();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = HEADING_PATTERN.exec(line);
    if (!heading) continue;
    const title = heading[1];
    anchors.add(convertHeadingToAnchor(title));
    const number = NUMBERED_HEADING_PATTERN.exec(title);
    if (number) sectionNumbers.add(number[1]);
  }
  return { sectionNumbers, anchors };
}

/**
 * Problems of every file: `{ files: Map<repoRelativePath, text> }` must include the documents
 * under `docs/`. Returns `{ file, line, message }` entries, empty when everything resolves.
 */
export function findDocReferenceProblems({ files }) {
  const outlines = new Map();
  for (const [filePath, text] of files) {
    if (filePath.endsWith('.md')) outlines.set(filePath, parseDocumentOutline(text));
  }
  const problems = [];
  for (const [filePath, text] of files) {
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      const report = (message) => problems.push({ file: filePath, line: index + 1, message });
      for (const { pattern, what } of OUTSIDE_CITATIONS) {
        const match = pattern.exec(line);
        if (match) report(`cites ${what} (${match[0]}); cite docs/… instead`);
      }
      checkSectionCitations({ filePath, line, outlines, report });
      if (filePath.endsWith('.md')) checkMarkdownLinks({ filePath, line, outlines, report });
    });
  }
  return problems;
}

function checkSectionCitations({ filePath, line, outlines, report }) {
  const sources = [...line.matchAll(SOURCE_PATTERN)].map((match) => ({
    index: match.index,
    document: match[1],
    rfc: match[2],
  }));
  for (const match of line.matchAll(SECTION_PATTERN)) {
    const source = sources.filter((candidate) => candidate.index < match.index).at(-1);
    if (source?.rfc) continue;
    const document = source
      ? resolveDocumentPath({ filePath, target: source.document })
      : filePath.startsWith('docs/')
        ? filePath
        : undefined;
    if (!document) {
      report(`§${match[1]} names no document: write docs/<file>.md §${match[1]} (or RFC n §…)`);
      continue;
    }
    const outline = outlines.get(document);
    if (!outline) {
      report(`cites ${source.document} §${match[1]}, but ${document} does not exist`);
      continue;
    }
    for (const number of [match[1], match[2]].filter(Boolean)) {
      if (!outline.sectionNumbers.has(number)) {
        report(`${document} has no section §${number}`);
      }
    }
  }
}

/** `docs/…` paths are relative to the repository root, other paths to the citing file. */
function resolveDocumentPath({ filePath, target }) {
  if (target.startsWith('docs/')) return target;
  return path.posix.normalize(path.posix.join(path.posix.dirname(filePath), target));
}

function checkMarkdownLinks({ filePath, line, outlines, report }) {
  for (const match of line.matchAll(MARKDOWN_LINK_PATTERN)) {
    const [, target, anchor] = match;
    if (/^[a-z]+:\/\//i.test(target)) continue;
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(filePath), target));
    const outline = outlines.get(resolved);
    if (!outline) {
      report(`links to ${target}, which does not exist`);
      continue;
    }
    if (anchor && !outline.anchors.has(anchor)) {
      report(`links to ${target}#${anchor}, which has no such heading`);
    }
  }
}
