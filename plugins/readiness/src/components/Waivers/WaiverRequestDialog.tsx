import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { WaiverRequest } from '@prodready/plugin-readiness-common';
import { FormEvent, useState } from 'react';
import { readinessApiRef } from '../../api';
import { explainError } from '../common/errors';
import { endOfDay } from './waiverText';

/**
 * The dialog in which an owner asks an admin to waive a checklist item: a
 * justification (required) and when the waiver would expire.
 */
export function WaiverRequestDialog(props: {
  entityRef: string;
  phaseId: string;
  itemId: string;
  itemText: string;
  onClose: () => void;
  onRequested: (request: WaiverRequest) => void;
  /** The current time, for tests. */
  now?: Date;
}) {
  const api = useApi(readinessApiRef);
  const [justification, setJustification] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();

  const now = props.now ?? new Date();
  const justificationError = justification.trim()
    ? undefined
    : 'Say why this item does not apply to this service.';
  const expiresAt = expiresOn ? endOfDay(expiresOn) : undefined;
  const expiryError =
    expiresOn && (!expiresAt || new Date(expiresAt).getTime() <= now.getTime())
      ? 'Pick a date in the future.'
      : undefined;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (justificationError || expiryError || saving) {
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const request = await api.requestWaiver(
        props.entityRef,
        { phaseId: props.phaseId, itemId: props.itemId },
        {
          justification: justification.trim(),
          ...(expiresAt ? { expiresAt } : {}),
        },
      );
      props.onRequested(request);
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  };

  const titleId = `waiver-request-${props.itemId}`;
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogTitle id={titleId}>Request a waiver</DialogTitle>
        <DialogContent>
          <DialogContentText>{props.itemText}</DialogContentText>
          <DialogContentText variant="body2">
            A readiness administrator must approve this waiver. You will be
            notified of their decision.
          </DialogContentText>
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
            inputProps={{ maxLength: 2000 }}
            error={touched && Boolean(justificationError)}
            helperText={
              touched && justificationError
                ? justificationError
                : 'Why the item does not apply to this service.'
            }
          />
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
                : 'Optional. The waiver lapses on this day; by default after 90 days.'
            }
          />
          {error && (
            <Typography role="alert" variant="body2" color="error">
              Not requested: {explainError(error, 'this checklist')} (
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
            {saving ? 'Sending…' : 'Request waiver'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
