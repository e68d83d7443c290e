import {
  CodeSnippet,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import InfoIcon from '@material-ui/icons/Info';
import WarningIcon from '@material-ui/icons/Warning';
import {
  ObservedServiceLevelsFacts,
  READINESS_ANNOTATION_PROMETHEUS_SELECTOR,
} from '@prodready/plugin-readiness-common';
import { ReactNode, useMemo } from 'react';
import { explainError } from '../common/errors';
import { formatRelativeTime } from '../common/format';
import { AvailabilitySparkline } from './AvailabilitySparkline';
import { ErrorBudgetBar } from './ErrorBudgetBar';
import {
  ObservedDocument,
  ObservedRow,
  ObservedStatus,
  formatBurnRate,
  observedRows,
} from './observed';
import {
  ObservedServiceLevelsState,
  useObservedServiceLevels,
} from './useObservedServiceLevels';

/** The README section on the Prometheus module. */
export const OBSERVED_SERVICE_LEVELS_DOCS_URL =
  'https://github.com/prodready/backstage-readiness#observed-service-levels-prometheus';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  meta: { color: theme.palette.text.secondary },
  line: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  rowHeader: { fontWeight: theme.typography.fontWeightMedium as number },
  status: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  met: { color: theme.palette.success.main },
  missed: { color: theme.palette.error.main },
  unknown: { color: theme.palette.text.secondary },
  info: { color: theme.palette.info.main },
  warning: { color: theme.palette.warning.main },
  fast: { color: theme.palette.warning.dark },
  subtitle: { marginTop: theme.spacing(2) },
}));

const STATUS_LABELS: Record<ObservedStatus, string> = {
  met: 'Met',
  missed: 'Missed',
  unknown: 'Not measured',
};

const STATUS_ICONS = {
  met: CheckCircleIcon,
  missed: ErrorIcon,
  unknown: HelpIcon,
};

function StatusLabel(props: { status: ObservedStatus }) {
  const classes = useStyles();
  const Icon = STATUS_ICONS[props.status];
  return (
    <span className={`${classes.status} ${classes[props.status]}`}>
      <Icon fontSize="small" aria-hidden />
      {STATUS_LABELS[props.status]}
    </span>
  );
}

/** A short line: an icon, then words that say the same. */
function NoteLine(props: {
  severity: 'info' | 'warning';
  children: ReactNode;
}) {
  const classes = useStyles();
  const Icon = props.severity === 'info' ? InfoIcon : WarningIcon;
  return (
    <Box className={classes.line}>
      <Icon className={classes[props.severity]} fontSize="small" aria-hidden />
      <Typography variant="body2" component="span">
        {props.children}
      </Typography>
    </Box>
  );
}

function Subtitle(props: { children: ReactNode }) {
  const classes = useStyles();
  return (
    <Typography variant="subtitle2" component="p" className={classes.subtitle}>
      {props.children}
    </Typography>
  );
}

/** Where and when the observations were read. */
function ObservedSource(props: {
  facts: ObservedServiceLevelsFacts;
  now: Date;
}) {
  const { facts, now } = props;
  const classes = useStyles();
  return (
    <Typography
      variant="body2"
      component="p"
      className={classes.meta}
      data-testid="observed-source"
    >
      Over the last {facts.windowText} · Prometheus {facts.endpoint} ·{' '}
      <code>{facts.selector}</code> (
      {facts.selectorSource === 'annotation'
        ? READINESS_ANNOTATION_PROMETHEUS_SELECTOR
        : 'default selector'}
      )
      {typeof facts.requests === 'number' &&
        ` · ${Math.round(facts.requests).toLocaleString(
          'en-US',
        )} requests`}{' '}
      ·{' '}
      <time dateTime={facts.readAt} title={facts.readAt}>
        read {formatRelativeTime(facts.readAt, now)}
      </time>
    </Typography>
  );
}

function TargetVsObservedTable(props: {
  rows: ObservedRow[];
  windowText: string;
}) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="Target vs observed">
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col">
            Service level
          </TableCell>
          <TableCell component="th" scope="col">
            Target
          </TableCell>
          <TableCell component="th" scope="col">
            Observed ({props.windowText})
          </TableCell>
          <TableCell component="th" scope="col">
            Status
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.id} data-testid={`observed-row-${row.id}`}>
            <TableCell
              component="th"
              scope="row"
              role="rowheader"
              className={classes.rowHeader}
            >
              {row.label}
            </TableCell>
            <TableCell>{row.target}</TableCell>
            <TableCell>
              {row.observed}
              {row.detail && (
                <Typography
                  variant="caption"
                  component="span"
                  display="block"
                  className={classes.meta}
                >
                  {row.detail}
                </Typography>
              )}
              {row.reason && (
                <Typography
                  variant="caption"
                  component="span"
                  display="block"
                  className={classes.meta}
                >
                  {row.reason}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <StatusLabel status={row.status} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function BurnRates(props: {
  burnRate: NonNullable<ObservedServiceLevelsFacts['burnRate']>;
}) {
  const classes = useStyles();
  const rate = (label: string, value: number | null, testId: string) => (
    <span
      data-testid={testId}
      className={value !== null && value > 1 ? classes.fast : undefined}
    >
      {label} <strong>{formatBurnRate(value)}</strong>
    </span>
  );
  return (
    <Typography variant="body2" component="p">
      Burn rate: {rate('1 h', props.burnRate.oneHour, 'burn-rate-1h')} ·{' '}
      {rate('6 h', props.burnRate.sixHours, 'burn-rate-6h')}{' '}
      <span className={classes.meta}>
        (1× uses the budget up exactly at the end of the window)
      </span>
    </Typography>
  );
}

/** What Prometheus delivered, next to the targets. */
function ObservedLevels(props: {
  facts: ObservedServiceLevelsFacts;
  wide: boolean;
}) {
  const { facts, wide } = props;
  const rows = useMemo(() => observedRows(facts), [facts]);
  return (
    <>
      {!facts.emittedLast24h && (
        <NoteLine severity="warning">
          Prometheus has no request metrics for <code>{facts.selector}</code>{' '}
          from the last 24 h: is the service still scraped?
        </NoteLine>
      )}
      <Grid container spacing={wide ? 3 : 0}>
        <Grid item xs={12} md={wide ? 7 : 12}>
          <TargetVsObservedTable rows={rows} windowText={facts.windowText} />
        </Grid>
        <Grid item xs={12} md={wide ? 5 : 12}>
          {facts.errorBudget && (
            <>
              <Subtitle>Error budget ({facts.windowText})</Subtitle>
              <ErrorBudgetBar
                budget={facts.errorBudget}
                windowText={facts.windowText}
              />
            </>
          )}
          {facts.burnRate && <BurnRates burnRate={facts.burnRate} />}
          {facts.daily && facts.daily.length > 0 && (
            <>
              <Subtitle>Availability per day</Subtitle>
              <AvailabilitySparkline
                daily={facts.daily}
                targetPercent={facts.targets.availabilityPercent}
                windowText={facts.windowText}
              />
            </>
          )}
        </Grid>
      </Grid>
    </>
  );
}

function selectorExample(facts: ObservedServiceLevelsFacts): string {
  return [
    'metadata:',
    '  annotations:',
    `    ${READINESS_ANNOTATION_PROMETHEUS_SELECTOR}: 'service="my-service",namespace="shop"'`,
  ]
    .concat(
      facts.selectorSource === 'annotation'
        ? []
        : [`    # now: ${facts.selector} (the default)`],
    )
    .join('\n');
}

/** Prometheus answered, but has no request metrics for the service. */
function NoData(props: { facts: ObservedServiceLevelsFacts }) {
  const { facts } = props;
  return (
    <>
      <NoteLine severity="info">
        Prometheus ({facts.endpoint}) has no request metrics for{' '}
        <code>{facts.selector}</code> over {facts.windowText}.
      </NoteLine>
      <Typography variant="body2" component="p">
        {facts.selectorSource === 'annotation'
          ? `The selector comes from the ${READINESS_ANNOTATION_PROMETHEUS_SELECTOR} annotation: check that it matches the labels of the service's http_requests_total, and that Prometheus scrapes the service.`
          : `The selector is the default. If the service's request metrics (http_requests_total) carry other labels, say which with the ${READINESS_ANNOTATION_PROMETHEUS_SELECTOR} annotation; otherwise check that Prometheus scrapes the service.`}
      </Typography>
      <CodeSnippet
        language="yaml"
        text={selectorExample(facts)}
        showCopyCodeButton
      />
    </>
  );
}

function Stale(props: { document: ObservedDocument; now: Date }) {
  const { document, now } = props;
  return (
    <WarningPanel
      severity="warning"
      title="The observed service levels may be out of date"
      message={`The last read of Prometheus failed${
        document.error ? `: ${document.error}` : ''
      }. These values were read ${formatRelativeTime(
        document.facts.readAt,
        now,
      )}.`}
      defaultExpanded
    />
  );
}

function NotConfigured() {
  return (
    <NoteLine severity="info">
      Observed service levels: no Prometheus is configured, so what this service
      delivers is not known. See{' '}
      <Link to={OBSERVED_SERVICE_LEVELS_DOCS_URL}>
        Observed service levels (Prometheus)
      </Link>
      .
    </NoteLine>
  );
}

/** The backend's own message of a `ResponseError`, when it says more. */
function causeOf(error: Error): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  const message =
    cause && typeof cause === 'object' && 'message' in cause
      ? String((cause as { message: unknown }).message)
      : undefined;
  return message && message !== error.message ? message : undefined;
}

/** The body for a state; null when there is nothing to show. */
function observedContent(
  state: ObservedServiceLevelsState,
  options: { now: Date; whenAbsent: 'note' | 'hide'; wide: boolean },
): ReactNode | null {
  if (state.loading) {
    return <Progress aria-label="Loading the observed service levels" />;
  }
  if (state.error) {
    return (
      <WarningPanel
        defaultExpanded
        severity="error"
        title="The observed service levels cannot be shown"
        message={explainError(state.error, 'the observed service levels')}
      >
        <Typography variant="body2">{state.error.message}</Typography>
        {causeOf(state.error) && (
          <Typography variant="body2">{causeOf(state.error)}</Typography>
        )}
        <Button size="small" onClick={state.retry}>
          Try again
        </Button>
      </WarningPanel>
    );
  }
  if (options.whenAbsent === 'hide' && !state.document) {
    return null;
  }
  if (state.notCollected) {
    return (
      <NoteLine severity="info">
        Observed service levels: no facts were collected for this entity yet;
        they appear after the next evaluation cycle.
      </NoteLine>
    );
  }
  if (!state.document) {
    return <NotConfigured />;
  }
  const { document } = state;
  return (
    <>
      {document.stale && <Stale document={document} now={options.now} />}
      <ObservedSource facts={document.facts} now={options.now} />
      {document.facts.status === 'no-data' ? (
        <NoData facts={document.facts} />
      ) : (
        <ObservedLevels facts={document.facts} wide={options.wide} />
      )}
    </>
  );
}

/**
 * Props of {@link ObservedServiceLevels}.
 */
export interface ObservedServiceLevelsProps {
  /** The entity, such as `component:default/payments`. */
  entityRef: string;
  /** The current time, for "read 5 min ago". Defaults to now. */
  now?: Date;
  /**
   * Where no Prometheus is configured (or no facts were collected yet):
   * a short note (default), or nothing at all.
   */
  whenAbsent?: 'note' | 'hide';
  /** A heading (`h3`) above, for a section of a larger card. */
  title?: string;
  /** Puts the table and the budget side by side on wide screens. */
  wide?: boolean;
}

/**
 * What the service really delivers, read from Prometheus, next to its
 * targets: availability, p95 latency and 5xx rate each met or missed, the
 * error budget used, the burn rates and the availability per day.
 */
export function ObservedServiceLevels(props: ObservedServiceLevelsProps) {
  const { entityRef, now: nowProp, whenAbsent = 'note', title } = props;
  const classes = useStyles();
  const now = useMemo(() => nowProp ?? new Date(), [nowProp]);
  const state = useObservedServiceLevels(entityRef);
  const content = observedContent(state, {
    now,
    whenAbsent,
    wide: props.wide ?? false,
  });
  if (content === null) {
    return null;
  }
  if (!title) {
    return <div data-testid="observed-service-levels">{content}</div>;
  }
  return (
    <section
      className={classes.section}
      data-testid="observed-service-levels"
      aria-label={title}
    >
      <Typography variant="h6" component="h3" gutterBottom>
        {title}
      </Typography>
      {content}
    </section>
  );
}
