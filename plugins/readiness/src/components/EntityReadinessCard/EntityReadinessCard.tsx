import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { getReadinessArea } from '@prodready/plugin-readiness-common';
import { useEntityScorecard } from '../../hooks/useEntityScorecard';
import { CheckResultItem } from '../common/CheckResultItem';
import { explainError } from '../common/errors';
import { formatScore } from '../common/format';
import { needsAttention } from '../common/ResultStatus';
import {
  RefreshButton,
  RefreshError,
  ScorecardSummary,
} from '../common/ScorecardSummary';

const TITLE = 'Production readiness';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  nowrap: { whiteSpace: 'nowrap' },
}));

/**
 * Props of {@link EntityReadinessCard}.
 *
 * @public
 */
export interface EntityReadinessCardProps {
  /** How many failing checks to list before linking to the tab (default 5). */
  maxFailing?: number;
  /** The current time, for tests. */
  now?: Date;
}

/** The path of the entity's Readiness tab, when the catalog route is known. */
function useReadinessTabLink(): string | undefined {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  try {
    return `${entityRoute({
      kind: entity.kind.toLocaleLowerCase('en-US'),
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    })}/readiness`;
  } catch {
    return undefined;
  }
}

/**
 * The "Production readiness" entity card: the level, the per-area scores and
 * the failing checks first, each with why and how to fix it; when the results
 * were evaluated, whether they are stale, and (for owners) a refresh button.
 *
 * @public
 */
export function EntityReadinessCard(props: EntityReadinessCardProps) {
  const classes = useStyles();
  const state = useEntityScorecard();
  const tabLink = useReadinessTabLink();
  const maxFailing = props.maxFailing ?? 5;

  let content;
  if (state.loading) {
    content = <Progress aria-label="Loading the readiness scorecard" />;
  } else if (state.error) {
    content = (
      <WarningPanel
        defaultExpanded
        severity="error"
        title="The readiness scorecard cannot be shown"
        message={explainError(state.error, 'the readiness scorecard')}
      >
        <Typography variant="body2">{state.error.message}</Typography>
        <Button size="small" onClick={state.retry}>
          Try again
        </Button>
      </WarningPanel>
    );
  } else if (state.notEvaluated || !state.scorecard) {
    content = (
      <>
        <EmptyState
          missing="data"
          title="Not evaluated yet"
          description="This service has no readiness results yet. They appear after the next evaluation cycle."
          action={<RefreshButton state={state} />}
        />
        <RefreshError state={state} />
      </>
    );
  } else {
    const scorecard = state.scorecard;
    const failing = scorecard.results.filter(r => needsAttention(r.status));
    const areas = scorecard.areas.filter(a => a.score !== null);
    content = (
      <>
        <ScorecardSummary state={state} now={props.now} />
        <section
          className={classes.section}
          aria-labelledby="readiness-card-failing"
        >
          <Typography
            variant="subtitle1"
            component="h3"
            id="readiness-card-failing"
          >
            {failing.length === 0
              ? 'No failing checks'
              : `Failing checks (${failing.length})`}
          </Typography>
          {failing.length === 0 ? (
            <Typography variant="body2">
              Every applicable check passes.
            </Typography>
          ) : (
            <ul className={classes.list} aria-label="Failing checks">
              {failing.slice(0, maxFailing).map(result => (
                <CheckResultItem key={result.checkId} result={result} compact />
              ))}
            </ul>
          )}
          {failing.length > maxFailing && tabLink && (
            <Link to={tabLink}>
              See all {failing.length} failing checks in the Readiness tab
            </Link>
          )}
        </section>
        <section
          className={classes.section}
          aria-labelledby="readiness-card-areas"
        >
          <Typography
            variant="subtitle1"
            component="h3"
            id="readiness-card-areas"
          >
            Scores per area
          </Typography>
          <Table size="small" aria-label="Scores per area">
            <TableHead>
              <TableRow>
                <TableCell>Area</TableCell>
                <TableCell align="right" className={classes.nowrap}>
                  Score
                </TableCell>
                <TableCell align="right" className={classes.nowrap}>
                  Failing
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {areas.map(area => (
                <TableRow key={area.area}>
                  <TableCell component="th" scope="row">
                    {getReadinessArea(area.area)?.title ?? area.area}
                  </TableCell>
                  <TableCell align="right">{formatScore(area.score)}</TableCell>
                  <TableCell align="right">
                    {area.failed + area.errored}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      </>
    );
  }

  return (
    <InfoCard
      title={TITLE}
      titleTypographyProps={{ component: 'h2' }}
      deepLink={
        tabLink ? { title: 'Open the Readiness tab', link: tabLink } : undefined
      }
    >
      <Box>{content}</Box>
    </InfoCard>
  );
}
