import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
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
  ChecklistItemStatus,
  ChecklistItemUpdateRequest,
  EntityChecklistItem,
  parseHttpUrl,
  ParseResult,
} from '@prodready/plugin-readiness-common';
import { FormEvent, useState } from 'react';
import { ChecklistConflictError, readinessApiRef } from '../../api';
import { explainError, statusCodeOf } from '../common/errors';
import { shortRef } from '../common/format';
import { ITEM_STATUS_LABELS } from './itemStatus';

/** What the dialog does to the item. */
export type ChecklistAction = 'attest' | 'waive' | 'reopen';

const TITLES: Record<ChecklistAction, string> = {
  attest: 'Mark as done',
  waive: 'Waive (not applicable)',
  reopen: 'Reopen',
};

const useStyles = makeStyles(theme => ({
  conflict: {
    marginTop: theme.spacing(2),
    padding: theme.spacing(1.5),
    borderLeft: `4px solid ${theme.palette.warning.main}`,
    backgroundColor: theme.palette.background.default,
  },
  error: { color: theme.palette.error.main, marginTop: theme.spacing(2) },
}));

/** The status an action gives the item. */
const NEW_STATUS: Record<ChecklistAction, ChecklistItemStatus> = {
  attest: 'done',
  waive: 'not-applicable',
  reopen: 'open',
};

/** What is wrong with the evidence link, if anything. */
function evidenceProblem(
  evidence: ParseResult<string> | undefined,
  required: boolean,
): string | undefined {
  if (!evidence) {
    return required
      ? 'An evidence link is required, such as the URL of a test report or a pull request.'
      : undefined;
  }
  return evidence.ok ? undefined : evidence.error;
}

/** The help text of the expiry date. */
function expiryHelp(action: ChecklistAction, expiresAfter?: string): string {
  if (action === 'waive') {
    return 'Optional. A waiver lapses after 90 days unless you pick an earlier date.';
  }
  if (expiresAfter) {
    return `Optional. The attestation lapses after ${expiresAfter} unless you pick an earlier date.`;
  }
  return 'Optional. When the attestation must be renewed.';
}

/** The label of the submit button. */
function submitLabel(
  action: ChecklistAction,
  saving: boolean,
  conflict: boolean,
): string {
  if (saving) {
    return 'Saving…';
  }
  return conflict ? 'Apply my change on top' : TITLES[action];
}

/** `2026-12-31` (a date input's value) → end of that day, ISO 8601 UTC. */
function endOfDay(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return undefined;
  }
  const value = new Date(`${date}T23:59:59.000Z`);
  return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
}

/** What the other person did to the item, in words. */
function OtherChange(props: { current: EntityChecklistItem }) {
  const classes = useStyles();
  const { state } = props.current;
  return (
    <Box
      className={classes.conflict}
      role="alert"
      aria-label="Someone else changed this item"
    >
      <Typography variant="subtitle2" component="p">
        Someone else changed this item while you were editing it.
      </Typography>
      <Typography variant="body2">
        It is now{' '}
        <strong>{ITEM_STATUS_LABELS[props.current.effectiveStatus]}</strong>
        {state.attestedBy && <> — by {shortRef(state.attestedBy)}</>}
        {state.attestedAt && (
          <> on {new Date(state.attestedAt).toLocaleString()}</>
        )}
        .
      </Typography>
      {state.evidenceUrl && (
        <Typography variant="body2">
          Evidence: <Link to={state.evidenceUrl}>{state.evidenceUrl}</Link>
        </Typography>
      )}
      {state.justification && (
        <Typography variant="body2">
          Justification: {state.justification}
        </Typography>
      )}
      {state.note && (
        <Typography variant="body2">Note: {state.note}</Typography>
      )}
      <Typography variant="body2">
        Your change has not been saved. Apply it on top of theirs, or cancel to
        keep theirs.
      </Typography>
    </Box>
  );
}

/**
 * The dialog that attests, waives or reopens a checklist item. A conflict
 * (someone else changed the item since it was loaded) shows their change and
 * lets the user apply theirs on top.
 */
export function ChecklistItemDialog(props: {
  entityRef: string;
  phaseId: string;
  item: EntityChecklistItem;
  action: ChecklistAction;
  onClose: () => void;
  /** Called with the saved item. */
  onSaved: (item: EntityChecklistItem) => void;
  /**
   * Offered when a waiver is refused (HTTP 403, for example because waivers
   * need an admin's approval): ask for one instead.
   */
  onRequestWaiver?: () => void;
}) {
  const classes = useStyles();
  const api = useApi(readinessApiRef);
  const { item, action } = props;
  const [evidenceUrl, setEvidenceUrl] = useState(
    action === 'attest' ? item.state.evidenceUrl ?? '' : '',
  );
  const [note, setNote] = useState('');
  const [justification, setJustification] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const [conflict, setConflict] = useState<EntityChecklistItem>();

  const needsEvidence =
    action === 'attest' && item.definition.kind !== 'automatic';
  const evidence = evidenceUrl.trim()
    ? parseHttpUrl(evidenceUrl, { annotation: 'Evidence URL' })
    : undefined;
  const evidenceError = evidenceProblem(evidence, needsEvidence);
  const justificationError =
    action === 'waive' && !justification.trim()
      ? 'Say why this item does not apply to this service.'
      : undefined;
  const expiresAt = expiresOn ? endOfDay(expiresOn) : undefined;
  const expiryError =
    expiresOn && (!expiresAt || new Date(expiresAt).getTime() <= Date.now())
      ? 'Pick a date in the future.'
      : undefined;
  const invalid = Boolean(evidenceError || justificationError || expiryError);

  const save = async (expectedVersion: number) => {
    const update: ChecklistItemUpdateRequest = {
      status: NEW_STATUS[action],
      expectedVersion,
    };
    if (evidence?.ok) {
      update.evidenceUrl = evidence.value;
    }
    if (note.trim()) {
      update.note = note.trim();
    }
    if (action === 'waive') {
      update.justification = justification.trim();
    }
    if (expiresAt && action !== 'reopen') {
      update.expiresAt = expiresAt;
    }
    setSaving(true);
    setError(undefined);
    try {
      const saved = await api.updateChecklistItem(
        props.entityRef,
        { phaseId: props.phaseId, itemId: item.definition.id },
        update,
      );
      props.onSaved(saved);
    } catch (e) {
      if (e instanceof ChecklistConflictError) {
        setConflict(e.current);
      } else {
        setError(e as Error);
      }
    } finally {
      setSaving(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid || saving) {
      return;
    }
    save(conflict ? conflict.state.version : item.state.version);
  };

  const titleId = `checklist-dialog-${item.definition.id}`;
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogTitle id={titleId}>{TITLES[action]}</DialogTitle>
        <DialogContent>
          <DialogContentText>{item.definition.text}</DialogContentText>
          {action === 'attest' && (
            <TextField
              id={`${titleId}-evidence`}
              label="Evidence URL"
              value={evidenceUrl}
              onChange={e => setEvidenceUrl(e.target.value)}
              required={needsEvidence}
              fullWidth
              margin="dense"
              type="url"
              error={touched && Boolean(evidenceError)}
              helperText={
                touched && evidenceError
                  ? evidenceError
                  : 'A link to the proof: a test report, a dashboard, a pull request.'
              }
            />
          )}
          {action === 'waive' && (
            <TextField
              id={`${titleId}-justification`}
              label="Justification"
              value={justification}
              onChange={e => setJustification(e.target.value)}
              required
              fullWidth
              multiline
              minRows={2}
              margin="dense"
              error={touched && Boolean(justificationError)}
              helperText={
                touched && justificationError
                  ? justificationError
                  : 'Why the item does not apply to this service.'
              }
            />
          )}
          {action !== 'reopen' && (
            <TextField
              id={`${titleId}-expires`}
              label="Expires on"
              type="date"
              value={expiresOn}
              onChange={e => setExpiresOn(e.target.value)}
              fullWidth
              margin="dense"
              InputLabelProps={{ shrink: true }}
              error={touched && Boolean(expiryError)}
              helperText={
                touched && expiryError
                  ? expiryError
                  : expiryHelp(action, item.definition.expiresAfter)
              }
            />
          )}
          <TextField
            id={`${titleId}-note`}
            label="Note"
            value={note}
            onChange={e => setNote(e.target.value)}
            fullWidth
            multiline
            minRows={2}
            margin="dense"
            inputProps={{ maxLength: 2000 }}
          />
          {conflict && <OtherChange current={conflict} />}
          {error && (
            <Typography role="alert" variant="body2" className={classes.error}>
              Not saved: {explainError(error, 'this checklist')} (
              {error.message})
            </Typography>
          )}
          {error &&
            action === 'waive' &&
            statusCodeOf(error) === 403 &&
            props.onRequestWaiver && (
              <Box mt={1}>
                <Typography variant="body2">
                  You may not waive this item yourself, but you can ask a
                  readiness administrator to approve a waiver.
                </Typography>
                <Button
                  size="small"
                  color="primary"
                  onClick={props.onRequestWaiver}
                >
                  Request a waiver instead
                </Button>
              </Box>
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
            {submitLabel(action, saving, Boolean(conflict))}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
