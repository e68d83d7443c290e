import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  DEFAULT_LEVELS,
  GroupRollup,
  LevelDefinition,
  RollupGroup,
} from '@prodready/plugin-readiness-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { explainError, statusCodeOf } from '../common/errors';
import { formatScore, shortRef } from '../common/format';
import { LevelBadge } from '../common/LevelBadge';
import { useEntityLinks, useInitiativeLink } from '../common/links';
import { DaysLeft } from '../Initiatives/InitiativeWidgets';
import { LevelDistributionBar, levelCountsText } from './LevelDistributionBar';

const useStyles = makeStyles(theme => ({
  totals: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    marginBottom: theme.spacing(1),
  },
  figure: { fontSize: '1.5rem', fontWeight: 500, lineHeight: 1.2 },
  section: { marginTop: theme.spacing(2) },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  nested: {
    listStyle: 'none',
    margin: 0,
    paddingLeft: theme.spacing(3),
    borderLeft: `2px solid ${theme.palette.divider}`,
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
    padding: theme.spacing(0.5, 0),
  },
  name: { flexGrow: 1, minWidth: 140 },
  spacer: { width: 30, flexShrink: 0 },
}));

/**
 * Props of {@link EntityGroupReadinessCard}.
 *
 * @public
 */
export interface EntityGroupReadinessCardProps {
  /** The card's title. */
  title?: string;
}

function groupName(group: RollupGroup): string {
  return group.title ?? shortRef(group.group);
}

/** The sub-groups of a group, loaded when it is expanded. */
function ChildGroups(props: {
  groupRef: string;
  levels: ReadonlyArray<LevelDefinition>;
}) {
  const classes = useStyles();
  const api = useApi(readinessApiRef);
  const { loading, error, value } = useAsync(
    () => api.getGroupRollup(props.groupRef),
    [api, props.groupRef],
  );
  if (loading) {
    return (
      <Progress
        aria-label={`Loading the sub-groups of ${shortRef(props.groupRef)}`}
      />
    );
  }
  if (error) {
    return (
      <Typography variant="body2" role="alert">
        The sub-groups cannot be shown: {explainError(error, 'the sub-groups')}
      </Typography>
    );
  }
  return (
    <SubGroupList
      groups={value?.children ?? []}
      levels={props.levels}
      className={classes.nested}
      label={`Sub-groups of ${shortRef(props.groupRef)}`}
    />
  );
}

function SubGroupRow(props: {
  group: RollupGroup;
  levels: ReadonlyArray<LevelDefinition>;
}) {
  const classes = useStyles();
  const links = useEntityLinks();
  const [open, setOpen] = useState(false);
  const { group } = props;
  const name = groupName(group);
  const link = links.entity(group.group);
  const { total } = group;
  return (
    <li aria-label={name}>
      <Box className={classes.row}>
        {group.descendants > 0 ? (
          <IconButton
            size="small"
            onClick={() => setOpen(o => !o)}
            aria-expanded={open}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${name}`}
          >
            {open ? <ExpandMoreIcon /> : <ChevronRightIcon />}
          </IconButton>
        ) : (
          <span className={classes.spacer} />
        )}
        <Typography variant="body2" className={classes.name}>
          {link ? <Link to={link}>{name}</Link> : name}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {total.services} service{total.services === 1 ? '' : 's'} · average{' '}
          {formatScore(total.averageScore)} ·{' '}
          {levelCountsText(total.levels, props.levels)}
          {group.descendants > 0 &&
            ` · ${group.descendants} sub-group${
              group.descendants === 1 ? '' : 's'
            }`}
        </Typography>
      </Box>
      {open && <ChildGroups groupRef={group.group} levels={props.levels} />}
    </li>
  );
}

function SubGroupList(props: {
  groups: RollupGroup[];
  levels: ReadonlyArray<LevelDefinition>;
  className: string;
  label: string;
}) {
  if (props.groups.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No sub-group.
      </Typography>
    );
  }
  return (
    <ul className={props.className} aria-label={props.label}>
      {props.groups.map(group => (
        <SubGroupRow key={group.group} group={group} levels={props.levels} />
      ))}
    </ul>
  );
}

function RollupContent(props: {
  rollup: GroupRollup;
  levels: ReadonlyArray<LevelDefinition>;
}) {
  const classes = useStyles();
  const links = useEntityLinks();
  const initiativeLink = useInitiativeLink();
  const { rollup, levels } = props;
  const { total } = rollup;
  return (
    <Box>
      <Box className={classes.totals}>
        <Box>
          <Typography className={classes.figure}>{total.services}</Typography>
          <Typography variant="body2" color="textSecondary">
            services
          </Typography>
        </Box>
        <Box>
          <Typography className={classes.figure}>
            {formatScore(total.averageScore)}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            average score
          </Typography>
        </Box>
        <Box>
          <Typography className={classes.figure}>
            {rollup.direct.services}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            owned directly
          </Typography>
        </Box>
      </Box>
      <LevelDistributionBar counts={total.levels} levels={levels} />

      <section className={classes.section} aria-labelledby="rollup-subgroups">
        <Typography variant="subtitle1" component="h3" id="rollup-subgroups">
          Sub-teams
        </Typography>
        <SubGroupList
          groups={rollup.children}
          levels={levels}
          className={classes.list}
          label="Sub-teams"
        />
      </section>

      <section className={classes.section} aria-labelledby="rollup-initiatives">
        <Typography variant="subtitle1" component="h3" id="rollup-initiatives">
          Initiatives due
        </Typography>
        {rollup.initiativesDue.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No initiative is waiting on these services.
          </Typography>
        ) : (
          <ul className={classes.list} aria-label="Initiatives due">
            {rollup.initiativesDue.map(initiative => {
              const link = initiativeLink(initiative.id);
              return (
                <li key={initiative.id} className={classes.row}>
                  <Typography variant="body2" className={classes.name}>
                    {link ? (
                      <Link to={link}>{initiative.title}</Link>
                    ) : (
                      initiative.title
                    )}
                  </Typography>
                  <Typography variant="body2">
                    {initiative.notMet} of {initiative.inScope} not met
                  </Typography>
                  <DaysLeft daysLeft={initiative.daysLeft} />
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className={classes.section} aria-labelledby="rollup-worst">
        <Typography variant="subtitle1" component="h3" id="rollup-worst">
          Least ready services
        </Typography>
        {rollup.worstServices.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No service evaluated yet.
          </Typography>
        ) : (
          <ul className={classes.list} aria-label="Least ready services">
            {rollup.worstServices.map(service => {
              const tab = links.readinessTab(service.entityRef);
              const name = shortRef(service.entityRef);
              return (
                <li key={service.entityRef} className={classes.row}>
                  <Typography variant="body2" className={classes.name}>
                    {tab ? <Link to={tab}>{name}</Link> : name}
                  </Typography>
                  <LevelBadge level={service.level} levels={levels} />
                  <Typography variant="body2">
                    {formatScore(service.score)}
                  </Typography>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Box>
  );
}

/**
 * The "Readiness of this team and its sub-teams" card of a Group entity: its
 * services and those of every group under it, their average score and
 * levels, each sub-group's figures (expand to drill down), the initiatives
 * due and the least ready services.
 *
 * @public
 */
export function EntityGroupReadinessCard(props: EntityGroupReadinessCardProps) {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity);
  const api = useApi(readinessApiRef);
  const { value: checks } = useAsync(
    () => api.getChecks().catch(() => undefined),
    [api],
  );
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getGroupRollup(groupRef),
    [api, groupRef],
  );
  let content;
  if (loading) {
    content = <Progress aria-label="Loading the readiness of this team" />;
  } else if (error) {
    content = (
      <Box role="alert">
        <Typography variant="body2">
          The readiness of this team cannot be shown:{' '}
          {statusCodeOf(error) === 404
            ? 'the readiness backend does not know this group yet.'
            : explainError(error, 'the readiness of this team')}{' '}
          ({error.message})
        </Typography>
        <Button size="small" onClick={retry}>
          Try again
        </Button>
      </Box>
    );
  } else if (value) {
    content = (
      <RollupContent rollup={value} levels={checks?.levels ?? DEFAULT_LEVELS} />
    );
  }
  return (
    <InfoCard
      title={props.title ?? 'Readiness of this team and its sub-teams'}
      titleTypographyProps={{ component: 'h2' }}
    >
      {content}
    </InfoCard>
  );
}
