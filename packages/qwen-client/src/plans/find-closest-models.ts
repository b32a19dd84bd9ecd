/**
 * The served names closest to `model` (case-insensitive edit distance, then shared prefix),
 * best first: what a 404 `model_not_found` suggests instead.
 */
export function findClosestModels({
  model,
  candidates,
  limit = 3,
}: {
  model: string;
  candidates: readonly string[];
  limit?: number;
}): string[] {
  const wanted = model.toLowerCase();
  return [...new Set(candidates)]
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      return {
        candidate,
        distance: computeEditDistance(wanted, lower),
        prefix: countSharedPrefix(wanted, lower),
      };
    })
    .sort(
      (left, right) =>
        left.distance - right.distance ||
        right.prefix - left.prefix ||
        left.candidate.localeCompare(right.candidate),
    )
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

function countSharedPrefix(left: string, right: string): number {
  let index = 0;
  while (index < left.length && index < right.length && left[index] === right[index]) index++;
  return index;
}

// Levenshtein distance with one rolling row: model names are short
function computeEditDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution =
        (previous[column - 1] ?? 0) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current[column] = Math.min(
        (previous[column] ?? 0) + 1,
        (current[column - 1] ?? 0) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}
