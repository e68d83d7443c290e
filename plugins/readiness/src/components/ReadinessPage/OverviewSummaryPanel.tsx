import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  LevelDefinition,
  OVERVIEW_FILTER_NONE,
  OverviewFilter,
  OverviewLevelCount,
} from '@prodready/plugin-readiness-common';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api';
import { explainError } from '../common/errors';
import { formatScore, shortRef } from '../common/format';
import { levelTitle } from '../common/LevelBadge';
import { TrendChart } from '../common/TrendChart';

const useStyles = makeStyles(theme => ({
  totals: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    marginBottom: theme.spacing(2),
  },
  figure: { fontSize: '1.75rem', fontWeight: 500, lineHeight: 1.2 },
  owners: { maxHeight: 320 },
  filterButton: { textTransform: 'none', padding: 0, minWidth: 0 },
}));

function levelCounts(
  counts: OverviewLevelCount[],
  levels: ReadonlyArray<LevelDefinition>,
): string {
  return counts
    .filter(c => c.count > 0)
    .map(c => `${levelTitle(c.level, levels)} ${c.count}`)
    .join(' · ');
}

/**
 * The summary of the services that match the filters: totals per level, the
 * average score, and one row per owner group (a click filters to it).
 */
export function OverviewSummaryPanel(props: {
  filter: OverviewFilter;
  filterKey: string;
  levels: ReadonlyArray<LevelDefinition>;
  onFilterOwner: (owner: string) => void;
}) {
  const classes = useStyles();
  const api = useApi(readinessApiRef);
  const { loading, error, value } = useAsync(
    () => api.getOverviewSummary(props.filter),
    [api, props.filterKey],
  );
  if (loading) {
    return <Progress aria-label="Loading the summary" />;
  }
  if (error) {
    return (
      <Typography role="alert" variant="body2">
        The summary cannot be shown: {explainError(error, 'the summary')} (
        {error.message})
      </Typography>
    );
  }
  if (!value || value.total === 0) {
    return <Typography>No service matches these filters.</Typography>;
  }
  const notReady = value.levels.find(l => l.level === null)?.count ?? 0;
  return (
    <Box>
      <Box className={classes.totals}>
        <Box>
          <Typography className={classes.figure}>
            {value.total.toLocaleString('en-US')}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            services
          </Typography>
        </Box>
        <Box>
          <Typography className={classes.figure}>
            {notReady.toLocaleString('en-US')}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            reach no level
          </Typography>
        </Box>
        <Box>
          <Typography className={classes.figure}>
            {formatScore(value.averageScore)}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            average score
          </Typography>
        </Box>
        <Box>
          <Typography variant="body2" component="p">
            {levelCounts(value.levels, props.levels)}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            by level
          </Typography>
        </Box>
      </Box>
      <TableContainer className={classes.owners}>
        <Table size="small" stickyHeader aria-label="Summary per owner">
          <TableHead>
            <TableRow>
              <TableCell>Owner</TableCell>
              <TableCell align="right">Services</TableCell>
              <TableCell align="right">Average score</TableCell>
              <TableCell>Levels</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.owners.map(owner => (
              <TableRow key={owner.owner ?? OVERVIEW_FILTER_NONE}>
                <TableCell component="th" scope="row">
                  <Button
                    className={classes.filterButton}
                    color="primary"
                    onClick={() =>
                      props.onFilterOwner(owner.owner ?? OVERVIEW_FILTER_NONE)
                    }
                    aria-label={`Show only the services of ${
                      owner.owner ? shortRef(owner.owner) : 'no owner'
                    }`}
                  >
                    {owner.owner ? shortRef(owner.owner) : 'No owner'}
                  </Button>
                </TableCell>
                <TableCell align="right">{owner.count}</TableCell>
                <TableCell align="right">
                  {formatScore(owner.averageScore)}
                </TableCell>
                <TableCell>{levelCounts(owner.levels, props.levels)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}

/** The average score of the services that match the filters, per day. */
export function PortfolioTrendPanel(props: {
  filter: OverviewFilter;
  filterKey: string;
  days?: number;
}) {
  const api = useApi(readinessApiRef);
  const { loading, error, value } = useAsync(
    () => api.getPortfolioTrend({ ...props.filter, days: props.days ?? 90 }),
    [api, props.filterKey, props.days],
  );
  if (loading) {
    return <Progress aria-label="Loading the portfolio trend" />;
  }
  if (error) {
    return (
      <Typography role="alert" variant="body2">
        The trend cannot be shown: {explainError(error, 'the trend')} (
        {error.message})
      </Typography>
    );
  }
  return (
    <TrendChart
      what="the average score"
      points={(value?.items ?? []).map(d => ({
        day: d.day,
        score: d.averageScore,
      }))}
    />
  );
}
