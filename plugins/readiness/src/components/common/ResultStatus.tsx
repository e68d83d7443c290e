import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import BlockIcon from '@material-ui/icons/Block';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import { CheckResultStatus } from '@prodready/plugin-readiness-common';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  pass: { color: theme.palette.success.main },
  fail: { color: theme.palette.error.main },
  error: { color: theme.palette.error.dark },
  warn: { color: theme.palette.warning.main },
  'not-applicable': { color: theme.palette.text.secondary },
}));

/** The words of each result status. */
export const RESULT_STATUS_LABELS: Record<CheckResultStatus, string> = {
  pass: 'Passing',
  fail: 'Failing',
  error: 'Error',
  warn: 'Warning',
  'not-applicable': 'Not applicable',
};

const ICONS = {
  pass: CheckCircleIcon,
  fail: CancelIcon,
  error: ErrorIcon,
  warn: WarningIcon,
  'not-applicable': BlockIcon,
};

/** Whether a result needs attention: failing, in error or warning. */
export function needsAttention(status: CheckResultStatus): boolean {
  return status === 'fail' || status === 'error' || status === 'warn';
}

/** A result status as an icon followed by the same thing in words. */
export function ResultStatus(props: { status: CheckResultStatus }) {
  const classes = useStyles();
  const Icon = ICONS[props.status];
  return (
    <Box component="span" className={classes.root}>
      <Icon className={classes[props.status]} fontSize="small" aria-hidden />
      <Typography variant="body2" component="span">
        {RESULT_STATUS_LABELS[props.status]}
      </Typography>
    </Box>
  );
}
