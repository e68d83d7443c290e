import { unifiedDiff } from '@prodready/plugin-readiness-engine';

/** Whether a file's content looks binary (holds a NUL byte). */
function isBinary(content: Buffer | null): boolean {
  return content !== null && content.includes(0);
}

/**
 * The unified diff of one file, Git style (`diff --git a/<path> b/<path>`,
 * `--- /dev/null` for a new file, `+++ /dev/null` for a deleted one),
 * with 3 lines of context. Empty when nothing changed.
 */
export function unifiedFileDiff(
  filePath: string,
  before: Buffer | null,
  after: Buffer | null,
): string {
  if (before !== null && after !== null && before.equals(after)) {
    return '';
  }
  const header = [`diff --git a/${filePath} b/${filePath}`];
  if (before === null) header.push('new file mode 100644');
  if (after === null) header.push('deleted file mode 100644');
  if (isBinary(before) || isBinary(after)) {
    return `${header.join('\n')}\nBinary files ${
      before === null ? '/dev/null' : `a/${filePath}`
    } and ${after === null ? '/dev/null' : `b/${filePath}`} differ\n`;
  }
  return `${header.join('\n')}\n${unifiedDiff(
    filePath,
    before?.toString('utf8') ?? null,
    after?.toString('utf8') ?? null,
  )}`;
}
