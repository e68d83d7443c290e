import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  WaiverDecisionInput,
  WaiverRequest,
  readinessWaiverApprovePermission,
} from '@prodready/plugin-readiness-common';
import { FormEvent, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { explainError, statusCodeOf } from '../common/errors';
import { formatRelativeTime, shortRef } from '../common/format';
import { useEntityLinks } from '../common/links';
import { checklistItemAnchor } from '../common/anchors';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    padding: theme.spacing(1.5, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
  body: { flexGrow: 1, minWidth: 240 },
  actions: { display: 'flex', gap: theme.spacing(1) },
}));

type Decision = WaiverDecisionInput['decision'];

const DECISION_LABELS: Record<Decision, string> = {
  approve: 'Approve',
  deny: 'Deny',
  revoke: 'Revoke',
};

/** Asks the reason of a decision, then sends it. */
function DecisionDialog(props: {
  request: WaiverRequest;
  decision: Decision;
  onClose: () => void;
  onDecided: (request: WaiverRequest) => void;
}) {
  const api = useApi(readinessApiRef);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const label = DECISION_LABELS[props.decision];
  const reasonError = reason.trim() ? undefined : 'Give a reason.';
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (reasonError || saving) return;
    setSaving(true);
    setError(undefined);
    try {
      props.onDecided(
        await api.decideWaiver(props.request.id, {
          decision: props.decision,
          reason: reason.trim(),
        }),
      );
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby="waiver-decision-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogTitle id="waiver-decision-title">
          {label} the waiver of {shortRef(props.request.entityRef)}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Justification: {props.request.justification}
          </DialogContentText>
          <TextField
            id="waiver-decision-reason"
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            required
            fullWidth
            multiline
            minRows={2}
            margin="dense"
            inputProps={{ maxLength: 2000 }}
            error={touched && Boolean(reasonError)}
            helperText={
              touched && reasonError
                ? reasonError
                : 'The requester is notified with this reason.'
            }
          />
          {error && (
            <Typography role="alert" variant="body2" color="error">
              Not saved: {explainError(error, 'this waiver request')} (
              {error.message})
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            {saving ? 'Saving…' : label}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/**
 * The pending waiver requests, for readiness admins: each with its
 * justification and expiry, and Approve / Deny (each asking a reason).
 * Hidden from those who may not approve.
 */
export function WaiverRequestsPanel(props: { reloadKey?: unknown }) {
  const classes = useStyles();
  const api = useApi(readinessApiRef);
  const links = useEntityLinks();
  const { allowed, loading: checking } = usePermission({
    permission: readinessWaiverApprovePermission,
  });
  const fetched = useAsyncRetry(
    async () =>
      allowed ? api.getWaiverRequests({ status: 'pending' }) : undefined,
    [api, allowed, props.reloadKey],
  );
  const [deciding, setDeciding] = useState<{
    request: WaiverRequest;
    decision: Decision;
  }>();
  const [announcement, setAnnouncement] = useState('');

  if (checking || !allowed || statusCodeOf(fetched.error) === 403) {
    return null;
  }
  let content;
  if (fetched.loading && !fetched.value) {
    content = <Progress aria-label="Loading the waiver requests" />;
  } else if (fetched.error) {
    content = (
      <Box role="alert">
        <Typography variant="body2">
          The waiver requests cannot be shown:{' '}
          {explainError(fetched.error, 'the waiver requests')} (
          {fetched.error.message})
        </Typography>
        <Button size="small" onClick={fetched.retry}>
          Try again
        </Button>
      </Box>
    );
  } else if (!fetched.value || fetched.value.items.length === 0) {
    content = (
      <Typography variant="body2">No waiver request is waiting.</Typography>
    );
  } else {
    content = (
      <ul className={classes.list} aria-label="Pending waiver requests">
        {fetched.value.items.map(request => {
          const name = shortRef(request.entityRef);
          const tab = links.readinessTab(request.entityRef);
          const itemLink = tab
            ? `${tab}#${checklistItemAnchor(request.phaseId, request.itemId)}`
            : undefined;
          const what = `${name}: ${request.itemId}`;
          return (
            <li key={request.id} className={classes.item} aria-label={what}>
              <Box className={classes.body}>
                <Typography variant="subtitle2" component="p">
                  {itemLink ? <Link to={itemLink}>{what}</Link> : what}
                </Typography>
                <Typography variant="body2">
                  “{request.justification}”
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  Requested by {shortRef(request.requestedBy)}{' '}
                  {formatRelativeTime(request.requestedAt)} · would expire on{' '}
                  {new Date(request.expiresAt).toLocaleDateString()}
                  {request.initiatives && request.initiatives.length > 0
                    ? ` · required by ${request.initiatives.join(', ')}`
                    : ''}
                </Typography>
              </Box>
              <Box className={classes.actions}>
                <Button
                  size="small"
                  variant="outlined"
                  color="primary"
                  onClick={() => setDeciding({ request, decision: 'approve' })}
                  aria-label={`Approve the waiver of ${what}`}
                >
                  Approve
                </Button>
                <Button
                  size="small"
                  onClick={() => setDeciding({ request, decision: 'deny' })}
                  aria-label={`Deny the waiver of ${what}`}
                >
                  Deny
                </Button>
              </Box>
            </li>
          );
        })}
      </ul>
    );
  }
  return (
    <InfoCard
      title="Waiver requests"
      titleTypographyProps={{ component: 'h2' }}
    >
      <Typography role="status" variant="body2" aria-live="polite">
        {announcement}
      </Typography>
      {content}
      {deciding && (
        <DecisionDialog
          request={deciding.request}
          decision={deciding.decision}
          onClose={() => setDeciding(undefined)}
          onDecided={request => {
            setDeciding(undefined);
            setAnnouncement(
              `The waiver of ${shortRef(request.entityRef)}: ${
                request.itemId
              } is ${request.status}.`,
            );
            fetched.retry();
          }}
        />
      )}
    </InfoCard>
  );
}
