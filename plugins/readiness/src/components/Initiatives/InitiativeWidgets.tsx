import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  InitiativeBurnUpPoint,
  InitiativeEntityState,
  InitiativePhase,
  InitiativeProgress,
} from '@prodready/plugin-readiness-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  INITIATIVE_PHASE_LABELS,
  INITIATIVE_STATE_LABELS,
  daysLeftText,
  formatDay,
} from './initiativeText';

const useStyles = makeStyles(theme => ({
  bar: { height: 10, borderRadius: 5, margin: theme.spacing(0.5, 0) },
  overdue: {
    color: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  met: { borderColor: theme.palette.success.main },
  notMet: { borderColor: theme.palette.error.main },
  exempt: { borderColor: theme.palette.info.main },
}));

/** "12 of 40 met or exempt (30%)". */
export function progressSentence(progress: InitiativeProgress): string {
  const done = progress.met + progress.exempt;
  return `${done} of ${progress.total} met or exempt (${progress.percent}%)`;
}

/** The share of services that meet an initiative (met + exempt of total). */
export function InitiativeProgressBar(props: {
  progress: InitiativeProgress;
  title: string;
}) {
  const classes = useStyles();
  const { progress } = props;
  return (
    <Box>
      <LinearProgress
        className={classes.bar}
        variant="determinate"
        value={Math.min(100, Math.max(0, progress.percent))}
        aria-label={`Progress of ${props.title}: ${progressSentence(progress)}`}
      />
      <Typography variant="body2">
        {progressSentence(progress)}
        {progress.exempt > 0 && ` · ${progress.exempt} exempt`}
        {progress.notMet > 0 && ` · ${progress.notMet} not met`}
      </Typography>
    </Box>
  );
}

/** Days left to the deadline; overdue in red unless everything is met. */
export function DaysLeft(props: {
  daysLeft: number;
  phase?: InitiativePhase;
  /** Every service in scope is met or exempt. */
  complete?: boolean;
  variant?: 'body2' | 'caption';
}) {
  const classes = useStyles();
  if (props.complete && props.daysLeft < 0) {
    return (
      <Typography variant={props.variant ?? 'body2'} component="span">
        Completed
      </Typography>
    );
  }
  return (
    <Typography
      variant={props.variant ?? 'body2'}
      component="span"
      className={props.daysLeft < 0 ? classes.overdue : undefined}
    >
      {daysLeftText(props.daysLeft)}
    </Typography>
  );
}

/** Scheduled, active or ended. */
export function PhaseChip(props: { phase: InitiativePhase }) {
  const label = INITIATIVE_PHASE_LABELS[props.phase] ?? props.phase;
  return (
    <Chip
      size="small"
      label={label}
      aria-label={`Phase: ${label}`}
      color={props.phase === 'active' ? 'primary' : 'default'}
      variant={props.phase === 'active' ? 'default' : 'outlined'}
    />
  );
}

/** Met, not met or exempt, in words (the colour only repeats it). */
export function StateChip(props: { state: InitiativeEntityState }) {
  const classes = useStyles();
  const label = INITIATIVE_STATE_LABELS[props.state] ?? props.state;
  let className = classes.notMet;
  if (props.state === 'met') className = classes.met;
  else if (props.state === 'exempt') className = classes.exempt;
  return (
    <Chip
      size="small"
      variant="outlined"
      className={className}
      label={label}
      aria-label={`State: ${label}`}
    />
  );
}

/** The burn-up in one sentence, for the chart's label and screen readers. */
export function describeBurnUp(
  points: InitiativeBurnUpPoint[],
  deadline?: string,
): string {
  if (points.length === 0) {
    return 'No progress recorded yet.';
  }
  const last = points[points.length - 1];
  const done = last.met + last.exempt;
  const ideal = Math.round(last.ideal);
  let pace = 'on the ideal line';
  if (done > ideal) pace = `${done - ideal} ahead of the ideal line`;
  else if (done < ideal) pace = `${ideal - done} behind the ideal line`;
  return `${done} of ${last.total} services met or exempt on ${formatDay(
    last.day,
  )}, ${pace}${
    deadline ? ` (all ${last.total} by ${formatDay(deadline)})` : ''
  }.`;
}

/**
 * The burn-up of an initiative: services met or exempt per day, the services
 * in scope, and the ideal line from the start to every service met on the
 * deadline (recharts), with a sentence that says the same.
 */
export function BurnUpChart(props: {
  points: InitiativeBurnUpPoint[];
  title: string;
  deadline?: string;
  height?: number;
}) {
  const theme = useTheme();
  const summary = describeBurnUp(props.points, props.deadline);
  const data = props.points.map(p => ({
    day: p.day,
    done: p.met + p.exempt,
    total: p.total,
    ideal: Math.round(p.ideal * 10) / 10,
  }));
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        {summary}
      </Typography>
      {data.length > 1 && (
        <Box
          role="img"
          aria-label={`Burn-up of ${props.title}: ${summary}`}
          height={props.height ?? 220}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart
              data={data}
              margin={{ top: 8, right: 16, bottom: 24, left: 8 }}
            >
              <title>{`Burn-up of ${props.title}`}</title>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="day"
                tick={{ fontSize: 12 }}
                minTickGap={24}
                label={{
                  value: 'Day',
                  position: 'insideBottom',
                  offset: -16,
                  fontSize: 12,
                }}
              />
              <YAxis
                allowDecimals={false}
                width={48}
                tick={{ fontSize: 12 }}
                label={{
                  value: 'Services',
                  angle: -90,
                  position: 'insideLeft',
                  fontSize: 12,
                }}
              />
              <Tooltip />
              <Legend verticalAlign="top" height={28} />
              <Line
                type="stepAfter"
                dataKey="total"
                name="In scope"
                stroke={theme.palette.text.secondary}
                strokeWidth={1}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="linear"
                dataKey="ideal"
                name="Ideal"
                stroke={theme.palette.warning.main}
                strokeDasharray="6 4"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="monotone"
                dataKey="done"
                name="Met or exempt"
                stroke={theme.palette.primary.main}
                strokeWidth={2}
                dot={data.length < 40}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      )}
    </Box>
  );
}
