import { structuredPatch } from 'diff';

/**
 * The unified diff of one text file (`diff -u` / `git diff` hunks with 3
 * lines of context), `a/<path>` → `b/<path>`; a new file is diffed against
 * `/dev/null` (`before` null), a deleted one to it (`after` null). Empty when
 * nothing changed.
 *
 * @public
 */
export function unifiedDiff(
  path: string,
  before: string | null,
  after: string | null,
  context = 3,
): string {
  if (before === after) {
    return '';
  }
  const patch = structuredPatch(
    `a/${path}`,
    `b/${path}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context },
  );
  const lines = [
    `--- ${before === null ? '/dev/null' : `a/${path}`}`,
    `+++ ${after === null ? '/dev/null' : `b/${path}`}`,
  ];
  for (const hunk of patch.hunks) {
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    lines.push(
      `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`,
      ...hunk.lines,
    );
  }
  return `${lines.join('\n')}\n`;
}
