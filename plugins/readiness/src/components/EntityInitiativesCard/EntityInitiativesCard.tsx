import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DEFAULT_LEVELS,
  EntityInitiative,
  LevelDefinition,
} from '@prodready/plugin-readiness-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { useEntitySignal } from '../../hooks/useReadinessSignals';
import { explainError, statusCodeOf } from '../common/errors';
import { shortRef } from '../common/format';
import { useEntityLinks, useInitiativeLink } from '../common/links';
import { formatDay, goalText } from '../Initiatives/initiativeText';
import { DaysLeft, StateChip } from '../Initiatives/InitiativeWidgets';
import { ShortfallList } from '../Initiatives/ShortfallList';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1.5, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  title: { flexGrow: 1 },
  meta: { display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap' },
}));

/**
 * Props of {@link EntityReadinessInitiativesCard}.
 *
 * @public
 */
export interface EntityInitiativesCardProps {
  /** The card's title (default "Initiatives"). */
  title?: string;
}

function InitiativeRow(props: {
  item: EntityInitiative;
  levels: ReadonlyArray<LevelDefinition>;
  tabLink?: string;
  onTab?: boolean;
}) {
  const classes = useStyles();
  const initiativeLink = useInitiativeLink();
  const { initiative, state, missing, waived } = props.item;
  const link = initiativeLink(initiative.id);
  return (
    <li className={classes.item} aria-label={initiative.title}>
      <Box className={classes.head}>
        <Typography
          variant="subtitle1"
          component="h3"
          className={classes.title}
        >
          {link ? <Link to={link}>{initiative.title}</Link> : initiative.title}
        </Typography>
        <StateChip state={state} />
      </Box>
      <Typography variant="body2" color="textSecondary">
        {goalText(initiative.goal, props.levels)} · run by{' '}
        {shortRef(initiative.owner)}
      </Typography>
      <Box className={classes.meta}>
        <Typography variant="body2" component="span">
          Due {formatDay(initiative.deadline)}
        </Typography>
        {initiative.phase === 'scheduled' ? (
          <Typography variant="body2" component="span">
            Starts {formatDay(initiative.startDate)}
          </Typography>
        ) : (
          <DaysLeft
            daysLeft={initiative.daysLeft}
            phase={initiative.phase}
            complete={state !== 'not-met'}
          />
        )}
      </Box>
      {state === 'not-met' && missing.length > 0 && (
        <>
          <Typography variant="body2">What is left:</Typography>
          <ShortfallList
            shortfalls={missing}
            tabLink={props.tabLink}
            onTab={props.onTab}
            label={`What is left for ${initiative.title}`}
          />
        </>
      )}
      {state === 'exempt' && waived.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Waived: {waived.map(w => w.title).join(', ')}
        </Typography>
      )}
    </li>
  );
}

/**
 * The initiatives of the current entity, without the card (for the Readiness
 * tab, where `onTab` makes the shortfalls scroll to their check or item).
 */
export function EntityInitiativesList(props: { onTab?: boolean }) {
  const classes = useStyles();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(readinessApiRef);
  const links = useEntityLinks();
  const reloadKey = useEntitySignal(entityRef);
  const { value: checks } = useAsync(
    () => api.getChecks().catch(() => undefined),
    [api],
  );
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getEntityInitiatives(entityRef),
    [api, entityRef, reloadKey],
  );
  if (loading && !value) {
    return <Progress aria-label="Loading the initiatives" />;
  }
  if (error && statusCodeOf(error) !== 404) {
    return (
      <Box role="alert">
        <Typography variant="body2">
          The initiatives cannot be shown:{' '}
          {explainError(error, 'the initiatives of this service')} (
          {error.message})
        </Typography>
        <Button size="small" onClick={retry}>
          Try again
        </Button>
      </Box>
    );
  }
  const items = error ? [] : value?.items ?? [];
  if (items.length === 0) {
    return (
      <Typography variant="body2">This service is in no initiative.</Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Initiatives of this service">
      {items.map(item => (
        <InitiativeRow
          key={item.initiative.id}
          item={item}
          levels={checks?.levels ?? DEFAULT_LEVELS}
          tabLink={props.onTab ? undefined : links.readinessTab(entityRef)}
          onTab={props.onTab}
        />
      ))}
    </ul>
  );
}

/**
 * The "Initiatives" entity card: each initiative the service is in, its due
 * date, days left, whether the service meets it (met, exempt, not met) and
 * what is left, each linked to the check or item on the Readiness tab.
 *
 * @public
 */
export function EntityInitiativesCard(props: EntityInitiativesCardProps) {
  return (
    <InfoCard
      title={props.title ?? 'Initiatives'}
      titleTypographyProps={{ component: 'h2' }}
    >
      <EntityInitiativesList />
    </InfoCard>
  );
}
