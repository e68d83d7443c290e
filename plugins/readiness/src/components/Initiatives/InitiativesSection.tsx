import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DEFAULT_LEVELS,
  Initiative,
  LevelDefinition,
} from '@prodready/plugin-readiness-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { explainError } from '../common/errors';
import { shortRef } from '../common/format';
import { useInitiativeLink } from '../common/links';
import { formatDay, goalText } from './initiativeText';
import {
  BurnUpChart,
  DaysLeft,
  InitiativeProgressBar,
  PhaseChip,
} from './InitiativeWidgets';

const useStyles = makeStyles(theme => ({
  head: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  title: { flexGrow: 1 },
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: theme.spacing(1, 0),
  },
  card: { height: '100%' },
}));

/** The burn-up of one initiative, loaded on its own. */
function InitiativeBurnUp(props: {
  initiative: Initiative;
  reloadKey?: unknown;
}) {
  const api = useApi(readinessApiRef);
  const { id, title, deadline } = props.initiative;
  const { loading, error, value } = useAsync(
    () => api.getInitiative(id),
    [api, id, props.reloadKey],
  );
  if (loading && !value) {
    return <Progress aria-label={`Loading the burn-up of ${title}`} />;
  }
  if (error) {
    return (
      <Typography variant="body2" role="alert">
        The burn-up cannot be shown: {explainError(error, 'the burn-up')}
      </Typography>
    );
  }
  return (
    <BurnUpChart
      points={value?.burnUp ?? []}
      title={title}
      deadline={deadline}
      height={200}
    />
  );
}

/** One initiative: progress, deadline, days left, phase and burn-up. */
export function InitiativeSummaryCard(props: {
  initiative: Initiative;
  levels: ReadonlyArray<LevelDefinition>;
  reloadKey?: unknown;
}) {
  const classes = useStyles();
  const initiativeLink = useInitiativeLink();
  const { initiative } = props;
  const link = initiativeLink(initiative.id);
  const headingId = `initiative-${initiative.id}`;
  return (
    <Card
      variant="outlined"
      className={classes.card}
      component="article"
      aria-labelledby={headingId}
    >
      <CardContent>
        <Box className={classes.head}>
          <Typography
            variant="h6"
            component="h3"
            id={headingId}
            className={classes.title}
          >
            {link ? (
              <Link to={link}>{initiative.title}</Link>
            ) : (
              initiative.title
            )}
          </Typography>
          <PhaseChip phase={initiative.phase} />
        </Box>
        <Typography variant="body2" color="textSecondary">
          {goalText(initiative.goal, props.levels)} · owned by{' '}
          {shortRef(initiative.owner)}
        </Typography>
        <Box className={classes.meta}>
          <Typography variant="body2" component="span">
            Deadline: {formatDay(initiative.deadline)}
          </Typography>
          <DaysLeft
            daysLeft={initiative.daysLeft}
            phase={initiative.phase}
            complete={initiative.progress.notMet === 0}
          />
        </Box>
        <InitiativeProgressBar
          progress={initiative.progress}
          title={initiative.title}
        />
        <Box mt={2}>
          <InitiativeBurnUp
            initiative={initiative}
            reloadKey={props.reloadKey}
          />
        </Box>
        {link && (
          <Box mt={1}>
            <Button
              size="small"
              color="primary"
              component={Link}
              to={link}
              aria-label={`See what is left for ${initiative.title}`}
            >
              See what is left
            </Button>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * The initiatives on the Readiness page: each with its progress bar,
 * deadline, days left, phase and burn-up against the ideal line.
 */
export function InitiativesSection(props: {
  levels?: ReadonlyArray<LevelDefinition>;
  /** Changes when the overview changed (a signal), to reload. */
  reloadKey?: unknown;
}) {
  const api = useApi(readinessApiRef);
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getInitiatives(),
    [api, props.reloadKey],
  );
  let content;
  if (loading && !value) {
    content = <Progress aria-label="Loading the initiatives" />;
  } else if (error) {
    content = (
      <Box role="alert">
        <Typography variant="body2">
          The initiatives cannot be shown:{' '}
          {explainError(error, 'the initiatives')} ({error.message})
        </Typography>
        <Button size="small" onClick={retry}>
          Try again
        </Button>
      </Box>
    );
  } else if (!value || value.items.length === 0) {
    content = (
      <Typography variant="body2">
        No initiatives: define them in <code>readiness.initiatives</code> of the
        app-config or in YAML files (<code>readiness.initiativeFiles</code>
        ), or create them through the API.
      </Typography>
    );
  } else {
    content = (
      <Grid container spacing={2}>
        {value.items.map(initiative => (
          <Grid item xs={12} md={6} xl={4} key={initiative.id}>
            <InitiativeSummaryCard
              initiative={initiative}
              levels={props.levels ?? DEFAULT_LEVELS}
              reloadKey={props.reloadKey}
            />
          </Grid>
        ))}
      </Grid>
    );
  }
  return (
    <section aria-labelledby="readiness-initiatives">
      <Typography
        variant="h5"
        component="h2"
        id="readiness-initiatives"
        gutterBottom
      >
        Initiatives
      </Typography>
      {content}
    </section>
  );
}
