import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  LevelDefinition,
  OverviewLevelCount,
} from '@prodready/plugin-readiness-common';
import { levelTitle } from '../common/LevelBadge';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: 14,
    borderRadius: 7,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
    margin: theme.spacing(0.5, 0),
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
  },
  swatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: 2,
    marginRight: theme.spacing(0.5),
  },
}));

/** "Gold 3 · Silver 2 · No level 1". */
export function levelCountsText(
  counts: OverviewLevelCount[],
  levels: ReadonlyArray<LevelDefinition>,
): string {
  const shown = counts.filter(c => c.count > 0);
  return shown.length === 0
    ? 'No service'
    : shown.map(c => `${levelTitle(c.level, levels)} ${c.count}`).join(' · ');
}

/**
 * How many services reached each level, as one stacked bar with a legend in
 * words (the colours only repeat it).
 */
export function LevelDistributionBar(props: {
  counts: OverviewLevelCount[];
  levels: ReadonlyArray<LevelDefinition>;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const counts = props.counts.filter(c => c.count > 0);
  const total = counts.reduce((n, c) => n + c.count, 0);
  const fallback = [
    theme.palette.success.main,
    theme.palette.info.main,
    theme.palette.warning.main,
    theme.palette.primary.main,
  ];
  const colour = (level: string | null, index: number) =>
    level === null
      ? theme.palette.error.light
      : props.levels.find(l => l.id === level)?.color ??
        fallback[index % fallback.length];
  const text = levelCountsText(props.counts, props.levels);
  return (
    <Box>
      <Box className={classes.bar} role="img" aria-label={`Levels: ${text}`}>
        {total > 0 &&
          counts.map((c, index) => (
            <Box
              key={c.level ?? 'none'}
              style={{
                width: `${(c.count / total) * 100}%`,
                backgroundColor: colour(c.level, index),
              }}
            />
          ))}
      </Box>
      <Box className={classes.legend} aria-hidden>
        {counts.map((c, index) => (
          <Typography key={c.level ?? 'none'} variant="caption">
            <span
              className={classes.swatch}
              style={{ backgroundColor: colour(c.level, index) }}
            />
            {levelTitle(c.level, props.levels)} {c.count}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
