import fc from 'fast-check';
import { expect } from 'vitest';

/*
 * Chunk texts assembled by hand for the fast paths' property tests: member texts joined with
 * commas (so duplicate keys and unusual orders occur), then maybe broken by a few one-character
 * edits. Whatever a fast path accepts of these, the whole parse must agree with.
 */

/** Up to `maxLength` of `texts` (repeats allowed), joined with commas. */
export function joinedMembers(texts: readonly string[], maxLength = 4): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...texts), { maxLength }).map((picked) => picked.join(','));
}

/** One edit: at a position, delete (0), insert (1) or replace (2) one character. */
export type TextEdit = [at: number, kind: number, text: string];

/** No edit, or up to two; `unchangedWeight` is how much likelier no edit is than some. */
export function textEdits(unchangedWeight = 1): fc.Arbitrary<TextEdit[]> {
  const edit: fc.Arbitrary<TextEdit> = fc.tuple(
    fc.nat(),
    fc.nat(2),
    fc.constantFrom('"', '\\', ',', '{', '}', ':', 'n', ' ', '1', '[', ']'),
  );
  return fc.oneof(
    { weight: unchangedWeight, arbitrary: fc.constant<TextEdit[]>([]) },
    { weight: 1, arbitrary: fc.array(edit, { maxLength: 2 }) },
  );
}

/** `data` with the edits applied in order (positions wrap around its length). */
export function applyTextEdits(data: string, edits: readonly TextEdit[]): string {
  let edited = data;
  for (const [at, kind, text] of edits) {
    const position = at % (edited.length + 1);
    if (kind === 0) edited = edited.slice(0, position) + edited.slice(position + 1);
    else if (kind === 1) edited = edited.slice(0, position) + text + edited.slice(position);
    else edited = edited.slice(0, position) + text + edited.slice(position + 1);
  }
  return edited;
}

// what trips up a scanner of JSON text: quotes, escapes, line and surrogate oddities, text that
// looks like structure
const TRICKY_PIECES = [
  '/',
  '\\',
  '"',
  '\\"',
  '\\\\',
  '\u2028',
  '\ud800',
  '\n',
  '}],"usage":{"total_tokens":1}',
  '"tool_calls":[',
  '"error":',
  'é日本',
];

/** Text to put in a chunk's strings: any string, or tricky pieces and `pieces` joined. */
export function trickyText(pieces: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc
      .array(fc.constantFrom(...TRICKY_PIECES, ...pieces), { maxLength: 8 })
      .map((parts) => parts.join('')),
  );
}

/**
 * A JSON string literal of one of `texts`, some of its characters spelt otherwise than
 * JSON.stringify spells them (all of it valid JSON): as `\u` escapes, in either case, and `/` as
 * `\/`; the rest as JSON.stringify spells it.
 */
export function respelledJsonString(texts: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .record({
      text: texts,
      respelled: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      upperCase: fc.boolean(),
    })
    .map(({ text, respelled, upperCase }) => {
      let literal = '"';
      let index = 0;
      // by code point: a surrogate pair is kept together (a lone surrogate comes alone)
      for (const character of text) {
        const respell = respelled[index % respelled.length];
        index++;
        if (!respell) {
          literal += JSON.stringify(character).slice(1, -1);
        } else if (character === '/') {
          literal += '\\/';
        } else {
          for (let unit = 0; unit < character.length; unit++) {
            const hex = character.charCodeAt(unit).toString(16).padStart(4, '0');
            literal += `\\u${upperCase ? hex.toUpperCase() : hex}`;
          }
        }
      }
      return `${literal}"`;
    });
}

/**
 * The text of a one-choice delta chunk assembled from member texts, in either order around the
 * delta and its content, then maybe edited: `{"choices":[{…"delta":{…"content":…}…}],…}`.
 */
export function assembledDeltaChunks({
  topMembers,
  choiceMembers,
  deltaMembers,
  content,
  model,
}: {
  topMembers: fc.Arbitrary<string>;
  choiceMembers: fc.Arbitrary<string>;
  deltaMembers: fc.Arbitrary<string>;
  content: fc.Arbitrary<string>;
  /** the chunk's model member, present four times in five */
  model: string;
}): fc.Arbitrary<string> {
  return fc
    .record({
      top: topMembers,
      choice: choiceMembers,
      delta: deltaMembers,
      content,
      edits: textEdits(),
      model: fc.option(fc.constant(model), { freq: 4, nil: '' }),
      contentFirst: fc.boolean(),
      choiceFirst: fc.boolean(),
    })
    .map(
      ({ top, choice, delta, content: text, edits, model: member, contentFirst, choiceFirst }) => {
        const contentMember = `"content":${JSON.stringify(text)}`;
        const deltaText = (contentFirst ? [contentMember, delta] : [delta, contentMember])
          .filter(Boolean)
          .join(',');
        const deltaMember = `"delta":{${deltaText}}`;
        const choiceText = (choiceFirst ? [choice, deltaMember] : [deltaMember, choice])
          .filter(Boolean)
          .join(',');
        const topText = [`"choices":[{${choiceText}}]`, top, member].filter(Boolean).join(',');
        return applyTextEdits(`{${topText}}`, edits);
      },
    );
}

/**
 * A property over `texts` for a fast path: `check` runs on every text `read` accepts. At the end
 * more than `atLeast` texts must have been accepted and more than `atLeast` refused, so the
 * property tested both sides of the fast path.
 */
export function assertWhereAccepted<T>({
  texts,
  read,
  check,
  atLeast,
  numRuns,
  seed,
}: {
  texts: fc.Arbitrary<string>;
  read: (data: string) => T | undefined;
  check: (data: string, read: T) => void;
  atLeast: number;
  numRuns: number;
  seed: number;
}): void {
  let accepted = 0;
  let rejected = 0;
  fc.assert(
    fc.property(texts, (data) => {
      const value = read(data);
      if (value === undefined) {
        rejected += 1;
        return;
      }
      accepted += 1;
      check(data, value);
    }),
    { numRuns, seed },
  );
  expect(accepted).toBeGreaterThan(atLeast);
  expect(rejected).toBeGreaterThan(atLeast);
}
