import {
  EmptyState,
  InfoCard,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  EntityChecklists,
  EntityScorecard,
} from '@prodready/plugin-readiness-common';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api';
import { useEntityScorecard } from '../../hooks/useEntityScorecard';
import { useEntitySignal } from '../../hooks/useReadinessSignals';
import { EntityInitiativesList } from '../EntityInitiativesCard';
import { explainError } from '../common/errors';
import {
  ObservedServiceLevels,
  isObservedEntity,
} from '../ObservedServiceLevels';
import {
  RefreshButton,
  RefreshError,
  ScorecardSummary,
} from '../common/ScorecardSummary';
import { TrendChart } from '../common/TrendChart';
import { AuditTrail } from './AuditTrail';
import { ChecklistsSection } from './ChecklistsSection';
import { RemediationSummary, useRemediationPlan } from './RemediationSummary';
import { ScorecardByArea } from './ScorecardByArea';

/**
 * Props of {@link EntityReadinessContent}.
 *
 * @public
 */
export interface EntityReadinessContentProps {
  /** How many days the trend chart covers (default 90). */
  trendDays?: number;
  /** The current time, for tests. */
  now?: Date;
}

function ScoreTrend(props: {
  entityRef: string;
  days: number;
  reloadKey: string;
}) {
  const api = useApi(readinessApiRef);
  const { loading, error, value } = useAsync(
    () => api.getTrend(props.entityRef, props.days),
    [api, props.entityRef, props.days, props.reloadKey],
  );
  if (loading) {
    return <Progress aria-label="Loading the score trend" />;
  }
  if (error) {
    return (
      <Typography variant="body2" role="alert">
        The trend cannot be shown: {explainError(error, 'the trend')}
      </Typography>
    );
  }
  return (
    <TrendChart
      what="the score"
      points={(value?.items ?? []).map(s => ({ day: s.day, score: s.score }))}
    />
  );
}

/**
 * The checks by area; the failing ones with this service's fix once its
 * remediation plan has loaded (the checks do not wait for it).
 */
function ChecksByArea(props: {
  entityRef: string;
  scorecard: EntityScorecard;
}) {
  const remediation = useRemediationPlan(props.entityRef, props.scorecard);
  return (
    <>
      <RemediationSummary entityRef={props.entityRef} state={remediation} />
      <ScorecardByArea scorecard={props.scorecard} plan={remediation.plan} />
    </>
  );
}

function ScorecardContent(props: EntityReadinessContentProps) {
  const state = useEntityScorecard();
  if (state.loading) {
    return <Progress aria-label="Loading the readiness scorecard" />;
  }
  if (state.error) {
    return (
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
  }
  if (state.notEvaluated || !state.scorecard) {
    return (
      <InfoCard title="Scorecard" titleTypographyProps={{ component: 'h2' }}>
        <EmptyState
          missing="data"
          title="Not evaluated yet"
          description="This entity has no readiness results yet. They appear after the next evaluation cycle."
          action={<RefreshButton state={state} />}
        />
        <RefreshError state={state} />
      </InfoCard>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Summary" titleTypographyProps={{ component: 'h2' }}>
          <ScorecardSummary state={state} now={props.now} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Score over time"
          titleTypographyProps={{ component: 'h2' }}
        >
          <ScoreTrend
            entityRef={state.entityRef}
            days={props.trendDays ?? 90}
            reloadKey={state.scorecard.evaluatedAt}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Checks by area"
          titleTypographyProps={{ component: 'h2' }}
        >
          <ChecksByArea
            entityRef={state.entityRef}
            scorecard={state.scorecard}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * The "Readiness" entity tab: the summary and trend, the full scorecard by
 * area with this service's patch under each check it fixes (and a button
 * that opens the fix template for all of them), what the service delivers
 * next to its targets (read from Prometheus), the phase checklists
 * (attest, waive and reopen where permitted) and the audit trail.
 *
 * @public
 */
export function EntityReadinessContent(props: EntityReadinessContentProps) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const signalled = useEntitySignal(entityRef);
  const [auditKey, setAuditKey] = useState(0);
  const [itemTexts, setItemTexts] = useState<Map<string, string>>();
  const onLoaded = useCallback((checklists: EntityChecklists) => {
    const texts = new Map<string, string>();
    for (const phase of checklists.phases) {
      for (const checklist of phase.checklists) {
        for (const item of checklist.items) {
          texts.set(`${phase.id}/${item.definition.id}`, item.definition.text);
        }
      }
    }
    setItemTexts(texts);
  }, []);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ScorecardContent {...props} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Initiatives"
          titleTypographyProps={{ component: 'h2' }}
        >
          <EntityInitiativesList onTab />
        </InfoCard>
      </Grid>
      {isObservedEntity(entity) && (
        <Grid item xs={12}>
          <InfoCard
            title="Observed service levels"
            titleTypographyProps={{ component: 'h2' }}
          >
            <ObservedServiceLevels entityRef={entityRef} now={props.now} wide />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard
          title="Phase checklists"
          titleTypographyProps={{ component: 'h2' }}
        >
          <ChecklistsSection
            entityRef={entityRef}
            onChanged={() => setAuditKey(key => key + 1)}
            onLoaded={onLoaded}
            reloadKey={signalled}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Audit trail"
          titleTypographyProps={{ component: 'h2' }}
        >
          <AuditTrail
            key={`${auditKey}:${signalled}`}
            entityRef={entityRef}
            itemTexts={itemTexts}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
