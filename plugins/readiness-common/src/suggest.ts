/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate closest to `name`, if it is at most `maxDistance` edits away
 * (ignoring case, so `latencyp95` finds `latencyP95`). Short names allow
 * fewer edits (a third of their length), so that `foo` does not suggest `rto`.
 * Failing that, a name that only one candidate starts with suggests it.
 *
 * @public
 */
export function closestName(
  name: string,
  candidates: Iterable<string>,
  maxDistance = 3,
): string | undefined {
  let best: { name: string; distance: number } | undefined;
  const lower = name.toLocaleLowerCase('en-US');
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLocaleLowerCase('en-US'));
    if (!best || distance < best.distance) {
      best = { name: candidate, distance };
    }
  }
  const limit = Math.min(maxDistance, Math.max(1, Math.floor(name.length / 3)));
  if (best && best.distance <= limit) {
    return best.name;
  }
  // A unique completion of a name of four or more letters: `runbook`
  // suggests `runbookUrl`.
  const completions = [...candidates].filter(
    candidate =>
      lower.length >= 4 &&
      candidate.toLocaleLowerCase('en-US').startsWith(lower),
  );
  return completions.length === 1 ? completions[0] : undefined;
}
