import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ObservedDailyAvailability } from '@prodready/plugin-readiness-common';
import { useMemo } from 'react';
import {
  formatAvailability,
  formatTargetPercent,
  sparklineGeometry,
} from './observed';

const WIDTH = 280;
const HEIGHT = 56;

const useStyles = makeStyles(theme => ({
  figure: { margin: 0 },
  svg: {
    display: 'block',
    width: '100%',
    maxWidth: WIDTH * 1.5,
    height: 'auto',
    overflow: 'visible',
  },
  line: {
    fill: 'none',
    stroke: theme.palette.primary.main,
    strokeWidth: 1.5,
    strokeLinejoin: 'round',
  },
  target: {
    stroke: theme.palette.text.secondary,
    strokeWidth: 1,
    strokeDasharray: '4 3',
  },
  point: { fill: theme.palette.primary.main },
  pointBelow: { fill: theme.palette.error.main },
  legend: { color: theme.palette.text.secondary },
}));

/** Props of {@link AvailabilitySparkline}. */
export interface AvailabilitySparklineProps {
  /** The availability per day, oldest first; null for a day without traffic. */
  daily: ObservedDailyAvailability[];
  /** The availability target, drawn as a dashed line. */
  targetPercent: number;
  /** The window in words, such as `28 d`. */
  windowText: string;
}

/**
 * The availability per day as a small line: days without traffic are gaps,
 * days below the target are red dots, and the target is a dashed line. A
 * sentence under it says the same for those who cannot see it.
 */
export function AvailabilitySparkline(props: AvailabilitySparklineProps) {
  const { daily, targetPercent, windowText } = props;
  const classes = useStyles();
  const geometry = useMemo(
    () =>
      sparklineGeometry(daily, targetPercent, {
        width: WIDTH,
        height: HEIGHT,
      }),
    [daily, targetPercent],
  );
  const below = geometry.points.filter(point => point.belowTarget);
  const lowest = geometry.points.reduce<number | undefined>(
    (min, point) =>
      min === undefined
        ? point.availabilityPercent
        : Math.min(min, point.availabilityPercent),
    undefined,
  );
  const summary = [
    `${geometry.points.length} of ${daily.length} days with traffic`,
    `${below.length} below the target of ${formatTargetPercent(targetPercent)}`,
    ...(lowest !== undefined ? [`lowest ${formatAvailability(lowest)}`] : []),
    ...(geometry.gapDays.length > 0
      ? [`no traffic on ${geometry.gapDays.length} days`]
      : []),
  ].join(', ');
  const label = `Availability per day over ${windowText}`;

  return (
    <figure className={classes.figure}>
      <svg
        className={classes.svg}
        viewBox={`0 0 ${geometry.width} ${geometry.height}`}
        role="img"
        aria-label={label}
        data-testid="availability-sparkline"
      >
        <title>{`${label}: ${summary}`}</title>
        <line
          className={classes.target}
          x1={0}
          x2={geometry.width}
          y1={geometry.targetY}
          y2={geometry.targetY}
          data-testid="availability-sparkline-target"
        >
          <title>{`Target ${formatTargetPercent(targetPercent)}`}</title>
        </line>
        {geometry.segments.map(segment => (
          <path
            key={segment}
            className={classes.line}
            d={segment}
            data-testid="availability-sparkline-segment"
          />
        ))}
        {geometry.points.map(point => (
          <circle
            key={point.date}
            cx={point.x}
            cy={point.y}
            r={point.belowTarget ? 2.5 : 1.5}
            className={point.belowTarget ? classes.pointBelow : classes.point}
            data-testid="availability-sparkline-point"
            data-date={point.date}
            data-below-target={point.belowTarget ? 'true' : 'false'}
          >
            <title>{`${point.date}: ${formatAvailability(
              point.availabilityPercent,
            )}`}</title>
          </circle>
        ))}
      </svg>
      <Typography
        component="figcaption"
        variant="caption"
        className={classes.legend}
      >
        {summary}. Dashed: the target.
      </Typography>
    </figure>
  );
}
