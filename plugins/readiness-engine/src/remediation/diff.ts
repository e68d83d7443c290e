/**
 * Unified diffs (`diff -u` / `git diff` format) of small text files: the
 * common prefix and suffix are trimmed, the rest is aligned by a longest
 * common subsequence of lines.
 */

type Op = { type: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  // LCS lengths of the suffixes, then a forward walk.
  const n = midA.length;
  const m = midB.length;
  const lcs: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) {
    lcs.push(new Uint32Array(m + 1));
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] =
        midA[i] === midB[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = a.slice(0, start).map(line => ({ type: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      ops.push({ type: ' ', line: midA[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ type: '-', line: midA[i++] });
    } else {
      ops.push({ type: '+', line: midB[j++] });
    }
  }
  for (const line of a.slice(endA)) {
    ops.push({ type: ' ', line });
  }
  return ops;
}

/**
 * The unified diff of one file, `a/<path>` → `b/<path>`; a new file is
 * diffed against `/dev/null`. Empty when nothing changed.
 *
 * @public
 */
export function unifiedDiff(
  path: string,
  before: string | null,
  after: string,
  context = 3,
): string {
  if (before === after) {
    return '';
  }
  const ops = diffLines(splitLines(before ?? ''), splitLines(after));
  const header = [
    `--- ${before === null ? '/dev/null' : `a/${path}`}`,
    `+++ b/${path}`,
  ];
  const hunks: string[] = [];
  let index = 0;
  while (index < ops.length) {
    // The next change, and the hunk around it (changes closer than twice the
    // context share a hunk).
    while (index < ops.length && ops[index].type === ' ') index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    let lastChange = index;
    while (end < ops.length) {
      if (ops[end].type !== ' ') {
        lastChange = end;
      } else if (end - lastChange > 2 * context) {
        break;
      }
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    let lineA = 1;
    let lineB = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k].type !== '+') lineA++;
      if (ops[k].type !== '-') lineB++;
    }
    const slice = ops.slice(start, end);
    const countA = slice.filter(op => op.type !== '+').length;
    const countB = slice.filter(op => op.type !== '-').length;
    hunks.push(
      `@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${
        countB === 0 ? lineB - 1 : lineB
      },${countB} @@`,
      ...slice.map(op => `${op.type}${op.line}`),
    );
    index = end;
  }
  return `${[...header, ...hunks].join('\n')}\n`;
}
