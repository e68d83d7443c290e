import { alpha, makeStyles } from '@material-ui/core/styles';

/** What a line of a unified diff is. */
export type DiffLineKind =
  /** `diff --git`, `index`, `--- a/…`, `+++ b/…` and other file headers. */
  | 'file'
  /** `@@ -1,3 +1,4 @@` */
  | 'hunk'
  | 'added'
  | 'removed'
  | 'context'
  /** `\ No newline at end of file` */
  | 'note';

/** One line of a unified diff, as written, and what it is. */
export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/**
 * The lines of a unified diff, each classified. Inside a hunk the line
 * counts of its header decide where it ends, so that a removed line such as
 * `----` (a YAML document separator) is not taken for a file header.
 */
export function parseUnifiedDiff(diff: string): DiffLine[] {
  const lines = diff.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  let oldLeft = 0;
  let newLeft = 0;
  return lines.map((text): DiffLine => {
    const inHunk = oldLeft > 0 || newLeft > 0;
    if (text.startsWith('@@')) {
      const counts = HUNK_HEADER.exec(text);
      // Without readable counts, the hunk lasts until the next header.
      oldLeft = counts ? Number(counts[1] ?? 1) : Infinity;
      newLeft = counts ? Number(counts[2] ?? 1) : Infinity;
      return { kind: 'hunk', text };
    }
    if (text.startsWith('\\')) {
      return { kind: 'note', text };
    }
    if (!inHunk || text.startsWith('diff ')) {
      oldLeft = 0;
      newLeft = 0;
      return { kind: 'file', text };
    }
    switch (text[0]) {
      case '+':
        newLeft -= 1;
        return { kind: 'added', text };
      case '-':
        oldLeft -= 1;
        return { kind: 'removed', text };
      default:
        oldLeft -= 1;
        newLeft -= 1;
        return { kind: 'context', text };
    }
  });
}

const useStyles = makeStyles(theme => ({
  root: {
    margin: theme.spacing(0.5, 0, 0),
    padding: theme.spacing(1, 0),
    maxHeight: 400,
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: '0.75rem',
    lineHeight: 1.5,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  lines: { display: 'inline-block', minWidth: '100%', fontFamily: 'inherit' },
  line: {
    display: 'block',
    minHeight: '1.5em',
    padding: theme.spacing(0, 1),
    whiteSpace: 'pre',
    textDecoration: 'none',
  },
  file: { fontWeight: theme.typography.fontWeightBold as number },
  hunk: {
    color: theme.palette.text.secondary,
    backgroundColor: alpha(theme.palette.info.main, 0.08),
  },
  added: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.success.light
        : theme.palette.success.dark,
    backgroundColor: alpha(theme.palette.success.main, 0.12),
  },
  removed: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
    backgroundColor: alpha(theme.palette.error.main, 0.12),
  },
  context: {},
  note: { color: theme.palette.text.secondary, fontStyle: 'italic' },
}));

/**
 * A unified diff, monospace: added lines green (`<ins>`), removed lines red
 * (`<del>`), hunk headers muted and file headers bold. The `+`/`-` signs are
 * kept, so the change reads without the colours too.
 */
export function DiffView(props: {
  diff: string;
  /** What the diff is, for assistive technology ("Patch for …"). */
  label: string;
}) {
  const classes = useStyles();
  return (
    <pre className={classes.root} aria-label={props.label}>
      <code className={classes.lines}>
        {parseUnifiedDiff(props.diff).map((line, index) => {
          const className = `${classes.line} ${classes[line.kind]}`;
          if (line.kind === 'added') {
            return (
              <ins key={index} className={className}>
                {line.text}
              </ins>
            );
          }
          if (line.kind === 'removed') {
            return (
              <del key={index} className={className}>
                {line.text}
              </del>
            );
          }
          return (
            <span key={index} className={className}>
              {line.text}
            </span>
          );
        })}
      </code>
    </pre>
  );
}
