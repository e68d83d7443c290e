import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import WarningIcon from '@material-ui/icons/Warning';
import { EntityScorecardState } from '../../hooks/useEntityScorecard';
import { explainError } from './errors';
import { formatRelativeTime, formatScore } from './format';
import { LevelBadge } from './LevelBadge';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
  },
  grow: { flexGrow: 1 },
  stale: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1.5),
    padding: theme.spacing(1),
    borderLeft: `4px solid ${theme.palette.warning.main}`,
    backgroundColor: theme.palette.background.default,
  },
  staleIcon: { color: theme.palette.warning.main },
  error: { color: theme.palette.error.main, marginTop: theme.spacing(1) },
}));

/** Results older than this are called out even when facts were collected. */
const OLD_AFTER_MS = 24 * 60 * 60 * 1000;

/** The button that re-evaluates the entity, shown only to those allowed. */
export function RefreshButton(props: {
  state: EntityScorecardState;
  label?: string;
}) {
  const { state } = props;
  if (!state.canRefresh) {
    return null;
  }
  return (
    <Button
      variant="outlined"
      size="small"
      color="primary"
      onClick={() => state.refresh()}
      disabled={state.refreshing}
      startIcon={
        state.refreshing ? (
          <CircularProgress size={16} aria-hidden />
        ) : (
          <RefreshIcon aria-hidden />
        )
      }
    >
      {state.refreshing ? 'Evaluating…' : props.label ?? 'Evaluate now'}
    </Button>
  );
}

/** Why the refresh failed, if it did. */
export function RefreshError(props: { state: EntityScorecardState }) {
  const classes = useStyles();
  if (!props.state.refreshError) {
    return null;
  }
  return (
    <Typography role="alert" variant="body2" className={classes.error}>
      The evaluation failed:{' '}
      {explainError(props.state.refreshError, 'the fresh results')} (
      {props.state.refreshError.message})
    </Typography>
  );
}

/**
 * The level, the score, when the results were evaluated, a stale warning and
 * the refresh button.
 */
export function ScorecardSummary(props: {
  state: EntityScorecardState;
  now?: Date;
}) {
  const classes = useStyles();
  const { state } = props;
  const scorecard = state.scorecard;
  if (!scorecard) {
    return null;
  }
  const now = props.now ?? new Date();
  const old =
    now.getTime() - new Date(scorecard.evaluatedAt).getTime() > OLD_AFTER_MS;
  return (
    <Box>
      <Box className={classes.row}>
        <LevelBadge
          level={scorecard.level}
          title={scorecard.levelTitle}
          size="medium"
        />
        <Typography
          variant="h6"
          component="p"
          aria-label={`Score ${formatScore(scorecard.score)}`}
        >
          Score {formatScore(scorecard.score)}
        </Typography>
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.grow}
        >
          Evaluated{' '}
          <time
            dateTime={scorecard.evaluatedAt}
            title={new Date(scorecard.evaluatedAt).toLocaleString()}
          >
            {formatRelativeTime(scorecard.evaluatedAt, now)}
          </time>
        </Typography>
        <RefreshButton state={state} />
      </Box>
      {(scorecard.stale || old) && (
        <Box className={classes.stale} role="status">
          <WarningIcon className={classes.staleIcon} aria-hidden />
          <Typography variant="body2">
            <strong>These results may be out of date.</strong>{' '}
            {scorecard.stale
              ? scorecard.staleReason ??
                'Some facts could not be collected at the last evaluation, so the results rest on older facts.'
              : 'The last evaluation is more than a day old.'}
          </Typography>
        </Box>
      )}
      <RefreshError state={state} />
    </Box>
  );
}
