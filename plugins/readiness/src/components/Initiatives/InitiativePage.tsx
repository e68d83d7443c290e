import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  DEFAULT_LEVELS,
  InitiativeDetail,
  InitiativeEntity,
  LevelDefinition,
  OVERVIEW_FILTER_NONE,
} from '@prodready/plugin-readiness-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { explainError, statusCodeOf } from '../common/errors';
import { formatRelativeTime, formatScore, shortRef } from '../common/format';
import { LevelBadge } from '../common/LevelBadge';
import { useEntityLinks, useOverviewLink } from '../common/links';
import { DownloadCsvButton } from '../ReadinessPage/ExportCsvButton';
import { formatDay, goalText, scopeText } from './initiativeText';
import {
  BurnUpChart,
  DaysLeft,
  InitiativeProgressBar,
  PhaseChip,
} from './InitiativeWidgets';
import { ShortfallList } from './ShortfallList';

/** Entities fetched per page of the not-met list. */
export const INITIATIVE_ENTITIES_PAGE_SIZE = 100;

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(0.5, 2),
    margin: theme.spacing(1, 0, 2),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  counts: { display: 'flex', gap: theme.spacing(3), flexWrap: 'wrap' },
  figure: { fontSize: '1.5rem', fontWeight: 500, lineHeight: 1.2 },
  entities: { listStyle: 'none', margin: 0, padding: 0, width: '100%' },
  entity: {
    padding: theme.spacing(1, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
  entityHead: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  actions: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' },
}));

/** Not-met entities of an initiative, page by page. */
function useNotMetEntities(id: string, reloadKey: unknown) {
  const api = useApi(readinessApiRef);
  const [items, setItems] = useState<InitiativeEntity[]>([]);
  const [totalCount, setTotalCount] = useState<number>();
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (pageCursor: string | undefined, gen: number) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.getInitiativeEntities(id, {
          state: ['not-met'],
          limit: INITIATIVE_ENTITIES_PAGE_SIZE,
          cursor: pageCursor,
        });
        if (gen !== generation.current) return;
        setItems(previous =>
          pageCursor ? [...previous, ...page.items] : page.items,
        );
        setTotalCount(page.totalCount);
        setCursor(page.nextCursor);
      } catch (e) {
        if (gen === generation.current) setError(e as Error);
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [api, id],
  );

  useEffect(() => {
    generation.current += 1;
    setItems([]);
    setCursor(undefined);
    fetchPage(undefined, generation.current);
  }, [fetchPage, reloadKey]);

  return {
    items,
    totalCount,
    loading,
    error,
    hasMore: Boolean(cursor),
    loadMore: () => {
      if (!loading && cursor) fetchPage(cursor, generation.current);
    },
    retry: () =>
      fetchPage(items.length > 0 ? cursor : undefined, generation.current),
  };
}

function EntityRow(props: {
  entity: InitiativeEntity;
  levels: ReadonlyArray<LevelDefinition>;
}) {
  const classes = useStyles();
  const links = useEntityLinks();
  const { entity } = props;
  const tab = links.readinessTab(entity.entityRef);
  const name = shortRef(entity.entityRef);
  return (
    <li className={classes.entity} aria-label={name}>
      <Box className={classes.entityHead}>
        <Typography variant="subtitle2" component="span">
          {tab ? <Link to={tab}>{name}</Link> : name}
        </Typography>
        <LevelBadge level={entity.level} levels={props.levels} />
        <Typography variant="caption" color="textSecondary">
          Score {formatScore(entity.score)}
        </Typography>
      </Box>
      <ShortfallList
        shortfalls={entity.missing}
        tabLink={tab}
        label={`What ${name} lacks`}
      />
    </li>
  );
}

/** The entities not met yet, grouped by owner (collapsible), with paging. */
function NotMetSection(props: {
  initiative: InitiativeDetail;
  levels: ReadonlyArray<LevelDefinition>;
}) {
  const classes = useStyles();
  const { initiative } = props;
  const rows = useNotMetEntities(initiative.id, initiative.computedAt);
  const groups = new Map<string, InitiativeEntity[]>();
  for (const entity of rows.items) {
    const owner = entity.owner ?? OVERVIEW_FILTER_NONE;
    groups.set(owner, [...(groups.get(owner) ?? []), entity]);
  }
  const owners = [...groups.keys()].sort((a, b) =>
    shortRef(a).localeCompare(shortRef(b)),
  );

  if (rows.error && rows.items.length === 0) {
    return (
      <WarningPanel
        severity="error"
        title="The services not met cannot be shown"
        message={explainError(rows.error, 'the services of this initiative')}
      >
        <Typography variant="body2">{rows.error.message}</Typography>
        <Button size="small" onClick={rows.retry}>
          Try again
        </Button>
      </WarningPanel>
    );
  }
  if (rows.loading && rows.items.length === 0) {
    return <Progress aria-label="Loading the services not met" />;
  }
  if (rows.items.length === 0) {
    return (
      <Typography>
        Every service in scope meets this initiative or is exempt.
      </Typography>
    );
  }
  return (
    <Box>
      <Typography variant="body2" paragraph>
        Showing {rows.items.length} of {rows.totalCount ?? rows.items.length}{' '}
        services not met, by owner.
      </Typography>
      {owners.map((owner, index) => {
        const entities = groups.get(owner)!;
        const ownerName =
          owner === OVERVIEW_FILTER_NONE ? 'No owner' : shortRef(owner);
        return (
          <Accordion key={owner} defaultExpanded={index < 5}>
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-controls={`owner-${index}-content`}
              id={`owner-${index}-header`}
            >
              <Typography>
                {ownerName}: {entities.length} not met
              </Typography>
            </AccordionSummary>
            <AccordionDetails id={`owner-${index}-content`}>
              <ul
                className={classes.entities}
                aria-label={`Services of ${ownerName} not met`}
              >
                {entities.map(entity => (
                  <EntityRow
                    key={entity.entityRef}
                    entity={entity}
                    levels={props.levels}
                  />
                ))}
              </ul>
            </AccordionDetails>
          </Accordion>
        );
      })}
      {rows.error && (
        <Typography role="alert" variant="body2">
          The next services cannot be loaded: {rows.error.message}
        </Typography>
      )}
      {rows.hasMore && (
        <Box mt={2}>
          <Button
            variant="outlined"
            size="small"
            onClick={rows.loadMore}
            disabled={rows.loading}
          >
            {rows.loading ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </Box>
  );
}

/** The changes to the initiative, loaded when opened. */
function AuditList(props: { id: string }) {
  const api = useApi(readinessApiRef);
  const { loading, error, value } = useAsync(
    () => api.getInitiativeAudit(props.id, { limit: 50 }),
    [api, props.id],
  );
  if (loading) {
    return <Progress aria-label="Loading the changes" />;
  }
  if (error) {
    return (
      <Typography variant="body2" role="alert">
        The changes cannot be shown: {explainError(error, 'the changes')}
      </Typography>
    );
  }
  if (!value || value.entries.length === 0) {
    return (
      <Typography variant="body2">
        No change recorded: this initiative comes from the configuration.
      </Typography>
    );
  }
  return (
    <ul aria-label="Changes to this initiative">
      {value.entries.map(entry => (
        <li key={entry.id}>
          <Typography variant="body2">
            {entry.action[0].toLocaleUpperCase('en-US')}
            {entry.action.slice(1)} by {shortRef(entry.who)}{' '}
            {formatRelativeTime(entry.when)}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/** Deletes an API initiative after confirmation; 403 shows why not. */
function DeleteInitiative(props: { initiative: InitiativeDetail }) {
  const api = useApi(readinessApiRef);
  const navigate = useNavigate();
  const rootLink = useOverviewLink();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<Error>();
  const onDelete = async () => {
    setDeleting(true);
    setError(undefined);
    try {
      await api.deleteInitiative(props.initiative.id);
      setOpen(false);
      navigate(rootLink ?? '..');
    } catch (e) {
      setError(e as Error);
    } finally {
      setDeleting(false);
    }
  };
  return (
    <>
      <Button size="small" color="secondary" onClick={() => setOpen(true)}>
        Delete
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby="delete-initiative-title"
      >
        <DialogTitle id="delete-initiative-title">
          Delete this initiative?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            “{props.initiative.title}” and its progress will be deleted; the
            change stays in the audit trail.
          </DialogContentText>
          {error && (
            <Typography role="alert" variant="body2" color="error">
              Not deleted: {explainError(error, 'this initiative')} (
              {error.message})
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={deleting}>
            Cancel
          </Button>
          <Button
            onClick={onDelete}
            color="secondary"
            variant="contained"
            disabled={deleting}
          >
            {deleting ? 'Deleting…' : 'Delete'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

function CsvButton(props: { id: string }) {
  const api = useApi(readinessApiRef);
  return (
    <DownloadCsvButton
      download={() => api.downloadInitiativeEntitiesCsv(props.id)}
      fileName={`initiative-${props.id}.csv`}
    />
  );
}

function InitiativeDetailContent(props: {
  initiative: InitiativeDetail;
  levels: ReadonlyArray<LevelDefinition>;
}) {
  const classes = useStyles();
  const links = useEntityLinks();
  const { initiative } = props;
  const ownerLink = links.entity(initiative.owner);
  const { progress } = initiative;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Goal" titleTypographyProps={{ component: 'h2' }}>
          <Typography variant="h6" component="p">
            {goalText(initiative.goal, props.levels)}
          </Typography>
          {initiative.description && (
            <Typography variant="body2" paragraph>
              {initiative.description}
            </Typography>
          )}
          <dl className={classes.facts}>
            <dt>Scope</dt>
            <dd>{scopeText(initiative.scope)}</dd>
            <dt>Owner</dt>
            <dd>
              {ownerLink ? (
                <Link to={ownerLink}>{shortRef(initiative.owner)}</Link>
              ) : (
                shortRef(initiative.owner)
              )}
            </dd>
            <dt>Dates</dt>
            <dd>
              {formatDay(initiative.startDate)} to{' '}
              {formatDay(initiative.deadline)}
            </dd>
            <dt>Time left</dt>
            <dd>
              <DaysLeft
                daysLeft={initiative.daysLeft}
                phase={initiative.phase}
                complete={progress.notMet === 0}
              />{' '}
              <PhaseChip phase={initiative.phase} />
            </dd>
            {initiative.enforcedFrom && (
              <>
                <dt>Counts towards levels from</dt>
                <dd>{formatDay(initiative.enforcedFrom)}</dd>
              </>
            )}
          </dl>
          <InitiativeProgressBar progress={progress} title={initiative.title} />
          <Box className={classes.counts} mt={2}>
            {(
              [
                ['met', progress.met],
                ['exempt', progress.exempt],
                ['not met', progress.notMet],
                ['in scope', progress.total],
              ] as const
            ).map(([label, count]) => (
              <Box key={label}>
                <Typography className={classes.figure}>{count}</Typography>
                <Typography variant="body2" color="textSecondary">
                  {label}
                </Typography>
              </Box>
            ))}
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Burn-up" titleTypographyProps={{ component: 'h2' }}>
          <BurnUpChart
            points={initiative.burnUp}
            title={initiative.title}
            deadline={initiative.deadline}
            height={280}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Not met yet"
          titleTypographyProps={{ component: 'h2' }}
          action={<CsvButton id={initiative.id} />}
        >
          <NotMetSection initiative={initiative} levels={props.levels} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Accordion TransitionProps={{ unmountOnExit: true }}>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography>Changes to this initiative</Typography>
          </AccordionSummary>
          <AccordionDetails>
            <AuditList id={initiative.id} />
          </AccordionDetails>
        </Accordion>
      </Grid>
      {initiative.source === 'api' && (
        <Grid item xs={12}>
          <Box className={classes.actions}>
            <DeleteInitiative initiative={initiative} />
          </Box>
        </Grid>
      )}
    </Grid>
  );
}

/**
 * The detail view of an initiative (`/readiness/initiatives/:id`): the goal
 * in words, owner, dates, progress and burn-up; the services not met yet,
 * grouped by owner, with what each lacks; a CSV export and the changes.
 */
export function InitiativePage(props: { id?: string }) {
  const params = useParams();
  const id = props.id ?? params.id ?? '';
  const api = useApi(readinessApiRef);
  const rootLink = useOverviewLink();
  const { value: checks } = useAsync(
    () => api.getChecks().catch(() => undefined),
    [api],
  );
  const levels = checks?.levels ?? DEFAULT_LEVELS;
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getInitiative(id),
    [api, id],
  );

  let content;
  if (loading && !value) {
    content = <Progress aria-label="Loading the initiative" />;
  } else if (error) {
    content =
      statusCodeOf(error) === 404 ? (
        <EmptyState
          missing="data"
          title="No such initiative"
          description={`There is no initiative "${id}". It may have been deleted or renamed.`}
        />
      ) : (
        <WarningPanel
          defaultExpanded
          severity="error"
          title="The initiative cannot be shown"
          message={explainError(error, 'this initiative')}
        >
          <Typography variant="body2">{error.message}</Typography>
          <Button size="small" onClick={retry}>
            Try again
          </Button>
        </WarningPanel>
      );
  } else if (value) {
    content = <InitiativeDetailContent initiative={value} levels={levels} />;
  }
  return (
    <Page themeId="tool">
      <Header
        title={value?.title ?? 'Initiative'}
        subtitle={
          value
            ? `Initiative owned by ${shortRef(value.owner)}, due ${formatDay(
                value.deadline,
              )}`
            : undefined
        }
        type="Initiative"
        typeLink={rootLink}
      />
      <Content>
        {rootLink && (
          <Box mb={2}>
            <Link to={rootLink}>Back to the readiness overview</Link>
          </Box>
        )}
        {content}
      </Content>
    </Page>
  );
}
