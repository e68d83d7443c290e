import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ErrorIcon from '@material-ui/icons/Error';
import { ObservedErrorBudget } from '@prodready/plugin-readiness-common';
import { formatBudgetPercent } from './observed';

const useStyles = makeStyles(theme => ({
  track: {
    position: 'relative',
    height: theme.spacing(1.25),
    borderRadius: theme.spacing(0.625),
    backgroundColor: theme.palette.action.hover,
    overflow: 'hidden',
    marginTop: theme.spacing(0.5),
    marginBottom: theme.spacing(0.5),
  },
  fill: {
    height: '100%',
    backgroundColor: theme.palette.primary.main,
  },
  warning: { backgroundColor: theme.palette.warning.main },
  exhaustedFill: { backgroundColor: theme.palette.error.main },
  exhausted: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/** Props of {@link ErrorBudgetBar}. */
export interface ErrorBudgetBarProps {
  budget: ObservedErrorBudget;
  /** The window in words, such as `28 d`. */
  windowText: string;
}

/** From this share used on, the bar turns to the warning colour. */
const WARNING_FROM_PERCENT = 75;

/**
 * How much of the error budget of the window is used: a bar (a `meter` for
 * assistive technology), the time used of the time allowed, and what is
 * left. An exhausted budget is red and says so in words.
 */
export function ErrorBudgetBar(props: ErrorBudgetBarProps) {
  const { budget, windowText } = props;
  const classes = useStyles();
  const consumed = Math.max(0, budget.consumedPercent);
  const width = Math.min(100, consumed);
  let fillClass = classes.fill;
  if (budget.exhausted) {
    fillClass = `${classes.fill} ${classes.exhaustedFill}`;
  } else if (consumed >= WARNING_FROM_PERCENT) {
    fillClass = `${classes.fill} ${classes.warning}`;
  }
  const used = `${budget.usedText} of ${
    budget.allowedText
  } used (${formatBudgetPercent(consumed)})`;
  const left = `${formatBudgetPercent(budget.remainingPercent)} left`;

  return (
    <Box data-testid="error-budget">
      <div
        className={classes.track}
        role="meter"
        aria-label={`Error budget used over ${windowText}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(width * 10) / 10}
        aria-valuetext={`${used}, ${left}`}
      >
        <div className={fillClass} style={{ width: `${width}%` }} />
      </div>
      <Typography variant="body2" component="p">
        {used} · {left}
      </Typography>
      {budget.exhausted && (
        <Typography variant="body2" component="p" className={classes.exhausted}>
          <ErrorIcon fontSize="small" aria-hidden />
          Error budget exhausted: the service was down longer than its target
          allows over {windowText}.
        </Typography>
      )}
    </Box>
  );
}
