import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatScore } from './format';

/** One point of a trend: a day (`YYYY-MM-DD`) and a score (0-100). */
export interface TrendPoint {
  day: string;
  score: number;
}

/** The trend in one sentence, for the chart's label and screen readers. */
export function describeTrend(points: TrendPoint[], what: string): string {
  if (points.length === 0) {
    return `No ${what} recorded yet.`;
  }
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length === 1) {
    return `${what[0].toLocaleUpperCase()}${what.slice(1)} ${formatScore(
      last.score,
    )} on ${last.day}; the trend appears after more evaluations.`;
  }
  const change = Math.round(last.score) - Math.round(first.score);
  let direction = 'unchanged';
  if (change > 0) {
    direction = `up ${change} points`;
  } else if (change < 0) {
    direction = `down ${-change} points`;
  }
  return `${what[0].toLocaleUpperCase()}${what.slice(
    1,
  )} ${direction}: ${formatScore(first.score)} on ${first.day}, ${formatScore(
    last.score,
  )} on ${last.day}.`;
}

/**
 * A line chart of a score per day (recharts), with a sentence that says the
 * same for those who cannot see the chart.
 */
export function TrendChart(props: {
  points: TrendPoint[];
  /** What is charted, such as "the score" or "the average score". */
  what: string;
  height?: number;
}) {
  const theme = useTheme();
  const summary = describeTrend(props.points, props.what);
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        {summary}
      </Typography>
      {props.points.length > 1 && (
        <Box
          role="img"
          aria-label={`Chart: ${summary}`}
          height={props.height ?? 220}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart
              data={props.points}
              margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={24} />
              <YAxis
                domain={[0, 100]}
                tickFormatter={(value: number) => `${value}%`}
                width={48}
                tick={{ fontSize: 12 }}
              />
              <Tooltip
                formatter={(value: unknown) => [
                  formatScore(Number(value)),
                  'Score',
                ]}
              />
              <Line
                type="monotone"
                dataKey="score"
                name="Score"
                stroke={theme.palette.primary.main}
                strokeWidth={2}
                dot={props.points.length < 40}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      )}
    </Box>
  );
}
