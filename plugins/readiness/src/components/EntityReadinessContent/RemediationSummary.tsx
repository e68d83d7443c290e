import { LinkButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EntityScorecard,
  RemediationPlan,
} from '@prodready/plugin-readiness-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { explainError } from '../common/errors';
import { needsAttention } from '../common/ResultStatus';

/**
 * The scaffolder template that applies the whole patch of a service; its
 * `entity` parameter takes the entity ref.
 */
const FIX_TEMPLATE = { namespace: 'default', name: 'fix-readiness' };

/**
 * The scaffolder page of the fix template, its form prefilled with the
 * entity: the scaffolder reads the initial form values as JSON from the
 * `formData` query parameter.
 */
export function fixTemplatePath(entityRef: string): string {
  const formData = encodeURIComponent(JSON.stringify({ entity: entityRef }));
  return `/create/templates/${encodeURIComponent(
    FIX_TEMPLATE.namespace,
  )}/${encodeURIComponent(FIX_TEMPLATE.name)}?formData=${formData}`;
}

/** The remediation plan of the entity as it loads. */
export interface RemediationState {
  loading: boolean;
  error?: Error;
  /** Absent while loading, on error, and when no check needs a fix. */
  plan?: RemediationPlan;
  retry: () => void;
}

/**
 * The remediation plan of the entity, fetched only when some check of its
 * scorecard needs attention (the plan reads the service's deployment files,
 * so it is not worth computing otherwise), again after each evaluation.
 */
export function useRemediationPlan(
  entityRef: string,
  scorecard: EntityScorecard,
): RemediationState {
  const api = useApi(readinessApiRef);
  const needed = scorecard.results.some(r => needsAttention(r.status));
  const { loading, error, value, retry } = useAsyncRetry(
    async () => (needed ? api.getRemediation(entityRef) : undefined),
    [api, entityRef, needed, scorecard.evaluatedAt],
  );
  return { loading, error, plan: value, retry };
}

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  text: { flex: '1 1 20em' },
  loading: { marginBottom: theme.spacing(2) },
}));

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Above the checks: the plan loading, why it cannot be shown, or what the
 * patch of this service fixes with the button that opens the fix template,
 * prefilled with the entity.
 */
export function RemediationSummary(props: {
  entityRef: string;
  state: RemediationState;
}) {
  const classes = useStyles();
  const { entityRef, state } = props;
  if (state.loading) {
    return (
      <Box role="status" className={classes.loading}>
        <Typography variant="body2" color="textSecondary">
          Working out the patch for this service…
        </Typography>
        <Progress aria-label="Loading the patch for this service" />
      </Box>
    );
  }
  if (state.error) {
    return (
      <Box className={classes.root}>
        <Typography variant="body2" role="alert" className={classes.text}>
          <strong>The fixes for this service cannot be shown.</strong>{' '}
          {explainError(state.error, 'the patch for this service')} The generic
          examples are shown instead.
        </Typography>
        <Button size="small" onClick={state.retry}>
          Try again
        </Button>
      </Box>
    );
  }
  const plan = state.plan;
  if (!plan || plan.fixes.length === 0) {
    return null;
  }
  const count = plan.fixes.length;
  return (
    <Box className={classes.root}>
      <Typography variant="body2" className={classes.text}>
        A patch of {plural(plan.files.length, 'file')} fixes{' '}
        {plural(count, 'failing check')} of this service; each check below shows
        its part. The button opens the fix template with this service filled in.
      </Typography>
      <LinkButton
        to={fixTemplatePath(entityRef)}
        variant="contained"
        color="primary"
      >
        Fix all deployment checks ({count})
      </LinkButton>
    </Box>
  );
}
