import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EntityScorecardResult,
  RemediationFix,
  RemediationUnfixable,
} from '@prodready/plugin-readiness-common';
import { checkAnchor } from './anchors';
import { DiffView } from './DiffView';
import {
  needsAttention,
  RESULT_STATUS_LABELS,
  ResultStatus,
} from './ResultStatus';

const useStyles = makeStyles(theme => ({
  item: {
    padding: theme.spacing(1, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
  head: {
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  title: { fontWeight: theme.typography.fontWeightMedium as number },
  remediation: { marginTop: theme.spacing(0.5) },
  code: {
    margin: theme.spacing(0.5, 0, 0),
    padding: theme.spacing(1),
    maxHeight: 220,
    overflow: 'auto',
    fontSize: '0.75rem',
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

/** A line of YAML or code (`key: value`, `- item`), not a sentence. */
const CODE_LINE = /^\s*(-\s|[\w./-]+:(\s|$))/;

/**
 * The remediation as advice in words and, when it has more lines, the
 * example that follows (a manifest snippet, for instance).
 */
export function splitRemediation(remediation: string): {
  /** The advice in words; absent when the remediation is only an example. */
  advice?: string;
  example: string[];
} {
  const lines = remediation.trim().split('\n');
  if (CODE_LINE.test(lines[0])) {
    return { example: lines };
  }
  return { advice: lines[0], example: lines.slice(1) };
}

function adviceText(
  advice: string | undefined,
  hasExample: boolean,
  compact: boolean,
): string {
  if (!advice) {
    return compact
      ? 'see the example in the Readiness tab.'
      : 'follow this example.';
  }
  return compact && hasExample ? `${advice} …` : advice;
}

function GuideLink(props: { result: EntityScorecardResult }) {
  if (!props.result.docsUrl) {
    return null;
  }
  return (
    <>
      {' '}
      <Link to={props.result.docsUrl}>Read the guide</Link>
    </>
  );
}

/** The fix of this very service: what it does and its diff. */
function ServiceFix(props: {
  result: EntityScorecardResult;
  fix: RemediationFix;
}) {
  const classes = useStyles();
  const { result, fix } = props;
  return (
    <div role="group" aria-label={`Fix for this service: ${result.title}`}>
      <Typography variant="body2" className={classes.remediation}>
        <strong>Fix for this service:</strong> {fix.summary}
        {fix.after !== 'pass' &&
          ` (the check is then ${RESULT_STATUS_LABELS[
            fix.after
          ].toLowerCase()})`}
        <GuideLink result={result} />
      </Typography>
      <DiffView diff={fix.diff} label={`Patch for ${result.title}`} />
    </div>
  );
}

/** The advice of the check in words and its example (generic). */
function GenericRemediation(props: {
  result: EntityScorecardResult;
  compact: boolean;
  unfixable?: RemediationUnfixable;
}) {
  const classes = useStyles();
  const { result, compact, unfixable } = props;
  const { advice, example } = splitRemediation(result.remediation);
  return (
    <>
      {unfixable && !compact && (
        <Typography variant="body2" className={classes.remediation}>
          <strong>No automatic fix:</strong> {unfixable.reason}
        </Typography>
      )}
      <Typography variant="body2" className={classes.remediation}>
        <strong>How to fix:</strong>{' '}
        {adviceText(advice, example.length > 0, compact)}
        <GuideLink result={result} />
      </Typography>
      {example.length > 0 && !compact && (
        <pre
          className={classes.code}
          aria-label={`Example for ${result.title}`}
        >
          {example.join('\n')}
        </pre>
      )}
    </>
  );
}

/**
 * One check result: its status in words, its title, why (with the facts as
 * details, outside cards, when the message is in words), and (when it needs
 * attention) how to fix it, with the docs link: the fix of this very service
 * when there is one, else the generic advice and example.
 */
export function CheckResultItem(props: {
  result: EntityScorecardResult;
  /** Only the first line of the remediation (for cards). */
  compact?: boolean;
  /** The fix of this service, shown instead of the generic example. */
  fix?: RemediationFix;
  /** Why the patch of this service does not fix this check. */
  unfixable?: RemediationUnfixable;
}) {
  const classes = useStyles();
  const { result, fix } = props;
  const compact = Boolean(props.compact);
  let remediation = null;
  if (needsAttention(result.status)) {
    remediation =
      fix && !compact ? (
        <ServiceFix result={result} fix={fix} />
      ) : (
        <GenericRemediation
          result={result}
          compact={compact}
          unfixable={props.unfixable}
        />
      );
  }
  return (
    <Box
      component="li"
      className={classes.item}
      aria-label={result.title}
      id={compact ? undefined : checkAnchor(result.checkId)}
    >
      <Box className={classes.head}>
        <ResultStatus status={result.status} />
        <Typography variant="body2" component="span" className={classes.title}>
          {result.title}
        </Typography>
      </Box>
      <Typography variant="body2" color="textSecondary">
        {result.message}
      </Typography>
      {result.details && !compact && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          aria-label={`Facts of ${result.title}`}
        >
          {result.details}
        </Typography>
      )}
      {remediation}
    </Box>
  );
}
