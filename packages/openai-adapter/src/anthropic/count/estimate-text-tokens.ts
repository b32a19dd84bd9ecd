/**
 * Estimates how many tokens Qwen's tokenizer (a byte-level BPE of about 151k entries) makes of a
 * text, from character classes, without shipping the vocabulary. The weights were fitted by least
 * squares against the real Qwen3 tokenizer on 828 samples of this repository's TypeScript,
 * Markdown and JSON plus Chinese prose: mean absolute error 4.8 % (95th percentile 13 %), against
 * 26 % for a flat characters ÷ 3.2. Letters cost per word and per letter (BPE merges whole
 * words), a digit about one token each, ASCII punctuation about a third, CJK about 0.6 per
 * character, a newline (with the indentation it carries) almost two.
 */
export function estimateTextTokens(text: string): number {
  let cjk = 0;
  let letters = 0;
  let words = 0;
  let digits = 0;
  let punctuation = 0;
  let spaces = 0;
  let newlines = 0;
  let other = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isLetter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (isLetter) {
      letters++;
      if (!inWord) words++;
      inWord = true;
      continue;
    }
    inWord = false;
    if (code >= 48 && code <= 57) digits++;
    else if (code === 10) newlines++;
    else if (code === 32 || code === 9 || code === 13) spaces++;
    else if (code < 128) punctuation++;
    else if (isCjk(code)) cjk++;
    else if (code >= 0xdc00 && code <= 0xdfff) {
      // the second half of a surrogate pair: the character was counted with its first half
    } else other++;
  }
  const estimate =
    0.59 * cjk +
    0.122 * letters +
    0.564 * words +
    1.32 * digits +
    0.306 * punctuation +
    0.046 * spaces +
    1.77 * newlines +
    1.2 * other;
  return Math.ceil(estimate);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x3000 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}
