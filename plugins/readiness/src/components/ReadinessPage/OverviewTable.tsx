import { Link, Progress } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import WarningIcon from '@material-ui/icons/Warning';
import {
  getReadinessArea,
  LevelDefinition,
  OverviewItem,
  OverviewOrderBy,
  PhaseSummary,
} from '@prodready/plugin-readiness-common';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { explainError } from '../common/errors';
import { formatRelativeTime, formatScore, shortRef } from '../common/format';
import { LevelBadge } from '../common/LevelBadge';
import { OverviewRows } from './useOverviewRows';
import { OverviewView } from './useOverviewQuery';

/** The height of one row, in pixels (rows are not measured). */
export const ROW_HEIGHT = 56;
/** Load the next page when this few loaded rows are left below the view. */
const LOAD_AHEAD = 50;

const useStyles = makeStyles(theme => ({
  table: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.paper,
    overflowX: 'auto',
  },
  inner: { minWidth: 1280 },
  row: {
    display: 'grid',
    alignItems: 'center',
    columnGap: theme.spacing(1),
    padding: theme.spacing(0, 1.5),
    borderBottom: `1px solid ${theme.palette.divider}`,
    boxSizing: 'border-box',
  },
  header: {
    minHeight: 48,
    fontWeight: theme.typography.fontWeightMedium as number,
    backgroundColor: theme.palette.background.default,
  },
  body: { position: 'relative', overflowY: 'auto' },
  cell: {
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontSize: theme.typography.body2.fontSize,
  },
  sortButton: {
    textTransform: 'none',
    padding: 0,
    minWidth: 0,
    fontWeight: 'inherit',
    justifyContent: 'flex-start',
  },
  failing: { color: theme.palette.error.main, fontWeight: 500 },
  stale: {
    color: theme.palette.warning.dark,
    verticalAlign: 'middle',
    marginLeft: theme.spacing(0.5),
  },
  footer: { padding: theme.spacing(1, 1.5) },
}));

/** The link to an entity's Readiness tab. */
function useReadinessLink(): (entityRef: string) => string | undefined {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (ref: string) => {
      try {
        const { kind, namespace, name } = parseEntityRef(ref);
        return `${entityRoute({ kind, namespace, name })}/readiness`;
      } catch {
        return undefined;
      }
    },
    [entityRoute],
  );
}

/** The weakest areas of an entity, in words: "Disaster Recovery 20%". */
function weakestAreas(item: OverviewItem): string {
  const weak = Object.entries(item.areas)
    .filter(
      (entry): entry is [string, number] =>
        typeof entry[1] === 'number' && entry[1] < 100,
    )
    .sort((a, b) => a[1] - b[1])
    .slice(0, 2)
    .map(
      ([area, score]) =>
        `${getReadinessArea(area)?.title ?? area} ${formatScore(score)}`,
    );
  return weak.length === 0 ? 'None' : weak.join(', ');
}

interface Column {
  title: string;
  width: string;
  orderBy?: OverviewOrderBy;
}

function columnsOf(phases: PhaseSummary[]): Column[] {
  return [
    { title: 'Service', width: 'minmax(180px, 2fr)', orderBy: 'entityRef' },
    { title: 'Owner', width: 'minmax(120px, 1fr)', orderBy: 'owner' },
    { title: 'System', width: 'minmax(100px, 1fr)' },
    { title: 'Tier', width: '64px' },
    { title: 'Level', width: '120px', orderBy: 'level' },
    { title: 'Score', width: '64px', orderBy: 'score' },
    { title: 'Failing checks', width: '124px' },
    ...phases.map(phase => ({
      title: phase.title,
      width: 'minmax(150px, 1fr)',
    })),
    { title: 'Weakest areas', width: 'minmax(160px, 2fr)' },
    { title: 'Lifecycle', width: '96px' },
    { title: 'Evaluated', width: '104px' },
  ];
}

function ariaSort(
  column: Column,
  view: OverviewView,
): 'ascending' | 'descending' | undefined {
  if (!column.orderBy || view.orderBy !== column.orderBy) {
    return undefined;
  }
  return view.order === 'asc' ? 'ascending' : 'descending';
}

function SortHeader(props: {
  column: Column;
  view: OverviewView;
  onSort: (orderBy: OverviewOrderBy, order: 'asc' | 'desc') => void;
}) {
  const classes = useStyles();
  const { column, view } = props;
  if (!column.orderBy) {
    return <>{column.title}</>;
  }
  const active = view.orderBy === column.orderBy;
  const next = active && view.order === 'asc' ? 'desc' : 'asc';
  const Icon = view.order === 'asc' ? ArrowUpwardIcon : ArrowDownwardIcon;
  return (
    <Button
      className={classes.sortButton}
      onClick={() => props.onSort(column.orderBy!, next)}
      endIcon={active ? <Icon fontSize="small" aria-hidden /> : undefined}
      aria-label={`Sort by ${column.title.toLocaleLowerCase('en-US')}${
        active
          ? `, now ${view.order === 'asc' ? 'ascending' : 'descending'}`
          : ''
      }`}
    >
      {column.title}
    </Button>
  );
}

function PhaseProgressCell(props: { item: OverviewItem; phaseId: string }) {
  const progress = props.item.phases?.find(p => p.phaseId === props.phaseId);
  if (!progress) {
    return <>—</>;
  }
  const percent =
    progress.total === 0
      ? 100
      : Math.round((progress.done / progress.total) * 100);
  return (
    <span title={`${progress.done} of ${progress.total} items done`}>
      {progress.done}/{progress.total} ({percent}%)
    </span>
  );
}

/** One row of the table, re-rendered only when its item or place changes. */
const OverviewRow = memo(function OverviewRowContent(props: {
  item: OverviewItem;
  index: number;
  start: number;
  template: string;
  link?: string;
  phases: PhaseSummary[];
  levels?: ReadonlyArray<LevelDefinition>;
  now: Date;
}) {
  const classes = useStyles();
  const { item, index, start, template, link, phases, now } = props;
  const failing = item.failed;
  const weakest = weakestAreas(item);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
      style={{
        gridTemplateColumns: template,
        position: 'absolute',
        top: 0,
        left: 0,
        width: '100%',
        height: ROW_HEIGHT,
        transform: `translateY(${start}px)`,
      }}
    >
      <div role="rowheader" className={classes.cell}>
        {link ? (
          <Link to={link} title={item.entityRef}>
            {shortRef(item.entityRef)}
          </Link>
        ) : (
          shortRef(item.entityRef)
        )}
      </div>
      <div role="cell" className={classes.cell}>
        {shortRef(item.owner)}
      </div>
      <div role="cell" className={classes.cell}>
        {shortRef(item.system)}
      </div>
      <div role="cell" className={classes.cell}>
        {item.tier ?? '—'}
      </div>
      <div role="cell" className={classes.cell}>
        <LevelBadge level={item.level} levels={props.levels} />
      </div>
      <div role="cell" className={classes.cell}>
        {formatScore(item.score)}
      </div>
      <div
        role="cell"
        className={`${classes.cell} ${failing > 0 ? classes.failing : ''}`}
      >
        {failing > 0 ? `${failing} failing` : 'None'}
      </div>
      {phases.map(phase => (
        <div role="cell" className={classes.cell} key={phase.id}>
          <PhaseProgressCell item={item} phaseId={phase.id} />
        </div>
      ))}
      <div role="cell" className={classes.cell} title={weakest}>
        {weakest}
      </div>
      <div role="cell" className={classes.cell}>
        {item.lifecycle ?? '—'}
      </div>
      <div role="cell" className={classes.cell}>
        <time
          dateTime={item.evaluatedAt}
          title={new Date(item.evaluatedAt).toLocaleString()}
        >
          {formatRelativeTime(item.evaluatedAt, now)}
        </time>
        {item.stale && (
          <WarningIcon
            className={classes.stale}
            fontSize="inherit"
            titleAccess="Stale: some facts could not be collected"
          />
        )}
      </div>
    </div>
  );
});

/**
 * The overview rows as an ARIA table whose body is virtualised: only the
 * rows in view are in the DOM, and the next page is fetched before the user
 * scrolls to the end of what is loaded.
 */
export function OverviewTable(props: {
  rows: OverviewRows;
  view: OverviewView;
  phases: PhaseSummary[];
  levels?: ReadonlyArray<LevelDefinition>;
  onSort: (orderBy: OverviewOrderBy, order: 'asc' | 'desc') => void;
  /** The height of the scrolling body, in pixels (default 560). */
  height?: number;
  now?: Date;
}) {
  const classes = useStyles();
  const { rows, view, phases } = props;
  const columns = columnsOf(phases);
  const template = columns.map(c => c.width).join(' ');
  const readinessLink = useReadinessLink();
  const scrollRef = useRef<HTMLDivElement>(null);
  const height = props.height ?? 560;
  // One "now" per mount, so that rows are not re-rendered for it.
  const now = useMemo(() => props.now ?? new Date(), [props.now]);

  const virtualizer = useVirtualizer({
    count: rows.items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 1200, height },
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.length
    ? virtualItems[virtualItems.length - 1].index
    : -1;

  const { hasMore, loadMore, items } = rows;
  useEffect(() => {
    if (hasMore && lastIndex >= items.length - LOAD_AHEAD) {
      loadMore();
    }
  }, [hasMore, lastIndex, items.length, loadMore]);

  // Back to the top when the view changes.
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [view]);

  const total = rows.totalCount ?? 0;
  return (
    <Box className={classes.table}>
      <div
        role="table"
        aria-label="Services"
        aria-rowcount={total + 1}
        aria-busy={rows.loading}
        className={classes.inner}
      >
        <div role="rowgroup">
          <div
            role="row"
            aria-rowindex={1}
            className={`${classes.row} ${classes.header}`}
            style={{ gridTemplateColumns: template }}
          >
            {columns.map(column => (
              <div
                role="columnheader"
                key={column.title}
                className={classes.cell}
                aria-sort={ariaSort(column, view)}
              >
                <SortHeader column={column} view={view} onSort={props.onSort} />
              </div>
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          ref={scrollRef}
          className={classes.body}
          style={{
            height: Math.min(
              height,
              Math.max(rows.items.length, 1) * ROW_HEIGHT,
            ),
          }}
          // The scrolling body must be reachable by keyboard to scroll it
          // (WCAG 2.1.1; axe's scrollable-region-focusable).
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          aria-label="Services, scroll for more"
        >
          <div
            style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
          >
            {virtualItems.map(virtualRow => {
              const item = rows.items[virtualRow.index];
              return (
                <OverviewRow
                  key={item.entityRef}
                  item={item}
                  index={virtualRow.index}
                  start={virtualRow.start}
                  template={template}
                  link={readinessLink(item.entityRef)}
                  phases={phases}
                  levels={props.levels}
                  now={now}
                />
              );
            })}
          </div>
        </div>
      </div>
      <Box className={classes.footer}>
        {rows.loading && rows.items.length === 0 && (
          <Progress aria-label="Loading the services" />
        )}
        {!rows.loading && !rows.error && rows.items.length === 0 && (
          <Typography>
            No service matches these filters. Clear a filter to see more.
          </Typography>
        )}
        {rows.error && (
          <Typography role="alert" variant="body2">
            {rows.items.length === 0
              ? 'The services cannot be shown: '
              : 'More services cannot be loaded: '}
            {explainError(rows.error, 'the overview')} ({rows.error.message}){' '}
            <Button size="small" onClick={rows.retry}>
              Try again
            </Button>
          </Typography>
        )}
        {rows.items.length > 0 && (
          <Typography variant="body2" color="textSecondary" role="status">
            {rows.items.length === total
              ? `${total.toLocaleString('en-US')} services`
              : `${rows.items.length.toLocaleString(
                  'en-US',
                )} of ${total.toLocaleString(
                  'en-US',
                )} services loaded; scroll for more`}
            {rows.loading && rows.items.length > 0 && ' (loading more…)'}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
