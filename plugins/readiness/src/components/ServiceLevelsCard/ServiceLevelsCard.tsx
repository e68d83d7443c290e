import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  InfoCardVariants,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import InfoIcon from '@material-ui/icons/Info';
import WarningIcon from '@material-ui/icons/Warning';
import {
  EffectiveServiceLevels,
  EffectiveValue,
  READINESS_ANNOTATION_AVAILABILITY,
  READINESS_ANNOTATION_BACKUP_SCHEDULE,
  READINESS_ANNOTATION_DR_LAST_TESTED,
  READINESS_ANNOTATION_DR_PLAN_REF,
  READINESS_ANNOTATION_ERROR_RATE,
  READINESS_ANNOTATION_LATENCY_P95,
  READINESS_ANNOTATION_RPO,
  READINESS_ANNOTATION_RTO,
  READINESS_ANNOTATION_RUNBOOK_URL,
  READINESS_ANNOTATION_SLA_REF,
  READINESS_ANNOTATION_TIER,
  ServiceLevelFinding,
  formatDuration,
  getDrTestStatus,
  getReadinessAnnotationSpec,
} from '@prodready/plugin-readiness-common';
import { ReactNode, useMemo } from 'react';
import { ObservedServiceLevels } from '../ObservedServiceLevels';
import { describeSchedule } from './describeSchedule';
import { CatalogProcessingError, useServiceLevels } from './useServiceLevels';

const TITLE = 'Service levels & recovery';

const useStyles = makeStyles(theme => ({
  section: {
    marginTop: theme.spacing(2),
    '&:first-child': { marginTop: 0 },
  },
  rowHeader: {
    width: '35%',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  status: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  ok: { color: theme.palette.success.main },
  warning: { color: theme.palette.warning.main },
  error: { color: theme.palette.error.main },
  info: { color: theme.palette.info.main },
  icon: { minWidth: theme.spacing(4) },
}));

type Severity = 'ok' | 'info' | 'warning' | 'error';

const SEVERITY_ICONS = {
  ok: CheckCircleIcon,
  info: InfoIcon,
  warning: WarningIcon,
  error: ErrorIcon,
};

const SEVERITY_LABELS: Record<Severity, string> = {
  ok: 'OK',
  info: 'Note',
  warning: 'Warning',
  error: 'Error',
};

/**
 * An icon that states its severity to assistive technology (`titleAccess`),
 * so that severity is never conveyed by colour alone.
 */
function SeverityIcon(props: { severity: Severity; decorative?: boolean }) {
  const classes = useStyles();
  const Icon = SEVERITY_ICONS[props.severity];
  return props.decorative ? (
    <Icon className={classes[props.severity]} fontSize="small" aria-hidden />
  ) : (
    <Icon
      className={classes[props.severity]}
      fontSize="small"
      titleAccess={SEVERITY_LABELS[props.severity]}
    />
  );
}

/** A line of status: an icon, then words that say the same thing. */
function StatusLine(props: { severity: Severity; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Box className={classes.status}>
      <SeverityIcon severity={props.severity} decorative />
      <Typography variant="body2" component="span">
        {props.children}
      </Typography>
    </Box>
  );
}

function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section className={classes.section}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

function Source(props: {
  effective?: EffectiveValue<unknown>;
  levels: EffectiveServiceLevels;
}) {
  const { effective, levels } = props;
  if (!effective) {
    return null;
  }
  switch (effective.source) {
    case 'annotation':
      return <>Inline annotation</>;
    case 'sla': {
      const ref = effective.sourceRef ?? levels.slaRef;
      return (
        <>
          Shared SLA{' '}
          {ref && <EntityRefLink entityRef={ref} defaultKind="resource" />}
        </>
      );
    }
    case 'dr-plan': {
      const ref = effective.sourceRef ?? levels.drPlanRef;
      return (
        <>
          Disaster recovery plan{' '}
          {ref && <EntityRefLink entityRef={ref} defaultKind="resource" />}
        </>
      );
    }
    case 'default':
      return <>Seed default</>;
    default:
      return <>{String(effective.source)}</>;
  }
}

interface Row {
  label: string;
  effective?: EffectiveValue<unknown>;
  value: ReactNode;
}

function ValuesTable(props: {
  label: string;
  rows: Row[];
  levels: EffectiveServiceLevels;
}) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col">
            Item
          </TableCell>
          <TableCell component="th" scope="col">
            Value
          </TableCell>
          <TableCell component="th" scope="col">
            Source
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.label}>
            <TableCell
              component="th"
              scope="row"
              role="rowheader"
              className={classes.rowHeader}
            >
              {row.label}
            </TableCell>
            <TableCell>{row.effective ? row.value : 'Not set'}</TableCell>
            <TableCell>
              <Source effective={row.effective} levels={props.levels} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function percent(value: number): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 4 })}%`;
}

function isWebLink(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function ExternalLink(props: { url: string; name: string }) {
  if (!isWebLink(props.url)) {
    return <>Not an http(s) link: {props.url}</>;
  }
  return (
    <Link to={props.url} title={props.url}>
      {props.name}
    </Link>
  );
}

function TargetsSection({ levels }: { levels: EffectiveServiceLevels }) {
  const rows: Row[] = [
    { label: 'Tier', effective: levels.tier, value: levels.tier?.value },
    {
      label: 'Availability',
      effective: levels.availability,
      value: percent(levels.availability.value),
    },
    {
      label: 'p95 latency',
      effective: levels.latencyP95,
      value: formatDuration(levels.latencyP95.value),
    },
    {
      label: 'p99 latency',
      effective: levels.latencyP99,
      value: levels.latencyP99 && formatDuration(levels.latencyP99.value),
    },
    {
      label: 'Error-rate budget (5xx)',
      effective: levels.errorRate,
      value: percent(levels.errorRate.value),
    },
    {
      label: 'Peak throughput',
      effective: levels.peakRps,
      value:
        levels.peakRps &&
        `${levels.peakRps.value.toLocaleString('en-US')} requests/s`,
    },
  ];
  return (
    <Section title="Targets">
      <ValuesTable label="Targets" rows={rows} levels={levels} />
    </Section>
  );
}

function BackupStatusLine({ levels }: { levels: EffectiveServiceLevels }) {
  const { backupSchedule, rpo } = levels;
  if (!backupSchedule) {
    return rpo ? (
      <StatusLine severity="warning">
        {`No backup schedule is declared, so the RPO of ${formatDuration(
          rpo.value,
        )} cannot be checked.`}
      </StatusLine>
    ) : (
      <StatusLine severity="info">No backup schedule is declared.</StatusLine>
    );
  }
  const gap = formatDuration(backupSchedule.value.maxIntervalMs);
  if (!rpo) {
    return (
      <StatusLine severity="info">
        No RPO is declared, so the backup schedule cannot be checked against
        one.
      </StatusLine>
    );
  }
  if (rpo.value === 0) {
    return (
      <StatusLine severity="info">
        The RPO is 0 (no data loss), which only synchronous replication can
        meet; backups serve retention, not the RPO.
      </StatusLine>
    );
  }
  const objective = formatDuration(rpo.value);
  if (levels.findings.some(f => f.kind === 'backup-exceeds-rpo')) {
    return (
      <StatusLine severity="error">
        {`Does not meet the RPO: backups can be up to ${gap} apart, but the RPO is ${objective}.`}
      </StatusLine>
    );
  }
  return (
    <StatusLine severity="ok">
      {`Meets the RPO: backups are at most ${gap} apart and the RPO is ${objective}.`}
    </StatusLine>
  );
}

function RecoverySection({ levels }: { levels: EffectiveServiceLevels }) {
  const schedule = levels.backupSchedule?.value;
  const rows: Row[] = [
    {
      label: 'Recovery time objective (RTO)',
      effective: levels.rto,
      value: levels.rto && formatDuration(levels.rto.value),
    },
    {
      label: 'Recovery point objective (RPO)',
      effective: levels.rpo,
      value: levels.rpo && formatDuration(levels.rpo.value),
    },
    {
      label: 'Backup schedule',
      effective: levels.backupSchedule,
      value: schedule && (
        <>
          {describeSchedule(schedule)} (<code>{schedule.expression}</code>), at
          most {formatDuration(schedule.maxIntervalMs)} apart
        </>
      ),
    },
    {
      label: 'Backup retention',
      effective: levels.backupRetention,
      value:
        levels.backupRetention && formatDuration(levels.backupRetention.value),
    },
  ];
  return (
    <Section title="Recovery & backups">
      <ValuesTable label="Recovery & backups" rows={rows} levels={levels} />
      <BackupStatusLine levels={levels} />
    </Section>
  );
}

function daysAgo(days: number): string {
  if (days <= 0) {
    return 'today';
  }
  return days === 1 ? '1 day ago' : `${days.toLocaleString('en-US')} days ago`;
}

function DrTestStatusLine(props: {
  levels: EffectiveServiceLevels;
  now: Date;
}) {
  const { drLastTested, drTestInterval, drTestAgeDays, findings } =
    props.levels;
  if (!drLastTested) {
    return findings.some(f => f.kind === 'dr-never-tested') ? (
      <StatusLine severity="warning">
        Never tested: no date of a last disaster recovery test is declared.
      </StatusLine>
    ) : (
      <StatusLine severity="info">
        No disaster recovery test is declared.
      </StatusLine>
    );
  }
  const tested = `Last tested ${drLastTested.value.iso}${
    drTestAgeDays !== undefined ? `, ${daysAgo(drTestAgeDays)}` : ''
  }.`;
  if (!drTestInterval) {
    return (
      <StatusLine severity="info">
        {`${tested} No test interval is declared, so it cannot be checked for being overdue.`}
      </StatusLine>
    );
  }
  const { dueDate } = getDrTestStatus(
    drLastTested.value,
    drTestInterval.value,
    props.now,
  );
  const interval = formatDuration(drTestInterval.value);
  if (props.levels.drTestOverdue) {
    return (
      <StatusLine severity="warning">
        {`${tested} Overdue: it must be tested every ${interval} and was due on ${dueDate}.`}
      </StatusLine>
    );
  }
  return (
    <StatusLine severity="ok">
      {`${tested} Up to date: tested every ${interval}, next due by ${dueDate}.`}
    </StatusLine>
  );
}

function DisasterRecoverySection({
  levels,
  now,
}: {
  levels: EffectiveServiceLevels;
  now: Date;
}) {
  const rows: Row[] = [
    {
      label: 'Last test',
      effective: levels.drLastTested,
      value: levels.drLastTested?.value.iso,
    },
    {
      label: 'Test interval',
      effective: levels.drTestInterval,
      value:
        levels.drTestInterval && formatDuration(levels.drTestInterval.value),
    },
    {
      label: 'Disaster recovery plan',
      effective: levels.drPlanUrl,
      value: levels.drPlanUrl && (
        <ExternalLink
          url={levels.drPlanUrl.value}
          name="Disaster recovery plan"
        />
      ),
    },
    {
      label: 'Runbook',
      effective: levels.runbookUrl,
      value: levels.runbookUrl && (
        <ExternalLink url={levels.runbookUrl.value} name="Runbook" />
      ),
    },
  ];
  return (
    <Section title="Disaster recovery">
      <ValuesTable label="Disaster recovery" rows={rows} levels={levels} />
      <DrTestStatusLine levels={levels} now={now} />
    </Section>
  );
}

function ProblemList(props: {
  label: string;
  items: Array<{
    key: string;
    severity: Severity;
    primary: ReactNode;
    secondary?: ReactNode;
  }>;
}) {
  const classes = useStyles();
  if (props.items.length === 0) {
    return null;
  }
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        {props.label}
      </Typography>
      <List dense aria-label={props.label}>
        {props.items.map(item => (
          <ListItem key={item.key}>
            <ListItemIcon className={classes.icon}>
              <SeverityIcon severity={item.severity} />
            </ListItemIcon>
            <ListItemText primary={item.primary} secondary={item.secondary} />
          </ListItem>
        ))}
      </List>
    </>
  );
}

function ProblemsSection(props: {
  levels?: EffectiveServiceLevels;
  processingErrors: CatalogProcessingError[];
}) {
  const errors = props.levels?.errors ?? [];
  const findings: ServiceLevelFinding[] = props.levels?.findings ?? [];
  const total = errors.length + findings.length + props.processingErrors.length;
  return (
    <Section title="Problems">
      {total === 0 ? (
        <StatusLine severity="ok">No problems found.</StatusLine>
      ) : (
        <>
          <ProblemList
            label="Annotations that could not be read"
            items={errors.map((error, index) => ({
              key: `${error.annotation}-${index}`,
              severity: 'error',
              primary: error.message,
              secondary: `Fix ${error.annotation} in the entity's catalog-info.yaml.`,
            }))}
          />
          <ProblemList
            label="Findings"
            items={findings.map((finding, index) => ({
              key: `${finding.kind}-${index}`,
              severity: finding.severity,
              primary: finding.message,
            }))}
          />
          <ProblemList
            label="Catalog processing errors"
            items={props.processingErrors.map((error, index) => ({
              key: `processing-${index}`,
              severity: 'error',
              primary: error.message,
              secondary:
                'The catalog could not process this entity; what is shown may be out of date.',
            }))}
          />
        </>
      )}
    </Section>
  );
}

const EXAMPLE_ANNOTATIONS = [
  READINESS_ANNOTATION_TIER,
  READINESS_ANNOTATION_AVAILABILITY,
  READINESS_ANNOTATION_LATENCY_P95,
  READINESS_ANNOTATION_ERROR_RATE,
  READINESS_ANNOTATION_RTO,
  READINESS_ANNOTATION_RPO,
  READINESS_ANNOTATION_BACKUP_SCHEDULE,
  READINESS_ANNOTATION_DR_LAST_TESTED,
  READINESS_ANNOTATION_RUNBOOK_URL,
] as const;

function exampleYaml(): string {
  const lines = [
    'metadata:',
    '  annotations:',
    ...EXAMPLE_ANNOTATIONS.map(
      name => `    ${name}: '${getReadinessAnnotationSpec(name).example}'`,
    ),
    '    # Or share the targets and the plan with other services:',
    `    # ${READINESS_ANNOTATION_SLA_REF}: resource:default/sla-gold`,
    `    # ${READINESS_ANNOTATION_DR_PLAN_REF}: resource:default/dr-plan-payments`,
  ];
  return lines.join('\n');
}

function EmptyServiceLevels() {
  const yaml = useMemo(exampleYaml, []);
  return (
    <EmptyState
      missing="info"
      title="No service levels declared"
      description={
        <>
          This entity declares no prodready.dev annotations and refers to no SLA
          or disaster recovery plan. Add annotations to the metadata of its
          catalog-info.yaml, or point it at a shared SLA and DR plan entity, as
          in this example. Values left out fall back to the seed defaults.
        </>
      }
      action={
        <CodeSnippet
          language="yaml"
          text={yaml}
          showCopyCodeButton
          customStyle={{ textAlign: 'left' }}
        />
      }
    />
  );
}

/**
 * Props of {@link EntityServiceLevelsCard}.
 *
 * @public
 */
export interface ServiceLevelsCardProps {
  /** The card variant, such as `gridItem`. */
  variant?: InfoCardVariants;
  /** The current time, for date maths. Defaults to now. */
  now?: Date;
}

/**
 * Shows the effective service levels of the current entity, where each comes
 * from, what Prometheus observed next to them (where one is configured), its
 * recovery objectives, backup policy and disaster recovery testing, and the
 * problems found in them.
 *
 * @public
 */
export function ServiceLevelsCard(props: ServiceLevelsCardProps) {
  const { now: nowProp } = props;
  const now = useMemo(() => nowProp ?? new Date(), [nowProp]);
  const { loading, error, levels, processingErrors } = useServiceLevels(now);
  const { entity } = useEntity();
  // What Prometheus observed, next to the targets; nothing where no
  // Prometheus is configured (the Readiness tab says so).
  const observed = (
    <ObservedServiceLevels
      entityRef={stringifyEntityRef(entity)}
      now={now}
      whenAbsent="hide"
      title="Observed service levels"
    />
  );

  let content: ReactNode;
  if (loading) {
    content = (
      <Progress aria-label="Loading the SLA and disaster recovery plan" />
    );
  } else if (error) {
    content = (
      <>
        <ResponseErrorPanel
          title="The SLA or disaster recovery plan could not be loaded"
          error={error}
          defaultExpanded
        />
        {observed}
        {processingErrors.length > 0 && (
          <ProblemsSection processingErrors={processingErrors} />
        )}
      </>
    );
  } else if (!levels || levels.empty) {
    content = (
      <>
        <EmptyServiceLevels />
        {observed}
        {processingErrors.length > 0 && (
          <ProblemsSection processingErrors={processingErrors} />
        )}
      </>
    );
  } else {
    content = (
      <>
        <TargetsSection levels={levels} />
        {observed}
        <RecoverySection levels={levels} />
        <DisasterRecoverySection levels={levels} now={now} />
        <ProblemsSection levels={levels} processingErrors={processingErrors} />
      </>
    );
  }

  return (
    <InfoCard
      title={TITLE}
      titleTypographyProps={{ component: 'h2' }}
      variant={props.variant}
    >
      {content}
    </InfoCard>
  );
}
