import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckBoxIcon from '@material-ui/icons/CheckBox';
import CheckBoxOutlineBlankIcon from '@material-ui/icons/CheckBoxOutlineBlank';
import IndeterminateCheckBoxIcon from '@material-ui/icons/IndeterminateCheckBox';
import {
  ChecklistProgress,
  EntityChecklist,
  EntityChecklistItem,
  EntityChecklists,
  EntityPhase,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  WaiverRequest,
} from '@prodready/plugin-readiness-common';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { explainError, statusCodeOf } from '../common/errors';
import { formatRelativeTime, shortRef } from '../common/format';
import { RESULT_STATUS_LABELS } from '../common/ResultStatus';
import { checklistItemAnchor } from '../common/anchors';
import { WaiverRequestDialog, waiverRequestText } from '../Waivers';
import { ChecklistAction, ChecklistItemDialog } from './ChecklistItemDialog';
import { ITEM_KIND_LABELS, ITEM_STATUS_LABELS } from './itemStatus';

const useStyles = makeStyles(theme => ({
  phase: { '& + &': { marginTop: theme.spacing(4) } },
  checklist: { marginTop: theme.spacing(2) },
  progress: { height: 8, borderRadius: 4, margin: theme.spacing(0.5, 0, 1) },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1, 0),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  body: { flexGrow: 1, minWidth: 0 },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'flex-start',
    flexShrink: 0,
  },
  done: { color: theme.palette.success.main },
  open: { color: theme.palette.text.secondary },
  waived: { color: theme.palette.info.main },
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
  },
  warning: { color: theme.palette.warning.dark, fontWeight: 500 },
}));

function progressText(progress: ChecklistProgress): string {
  return `${progress.done} of ${progress.total} done`;
}

function ProgressBar(props: { progress: ChecklistProgress; label: string }) {
  const classes = useStyles();
  const { done, total } = props.progress;
  const value = total === 0 ? 100 : Math.round((done / total) * 100);
  return (
    <LinearProgress
      className={classes.progress}
      variant="determinate"
      value={value}
      aria-label={`${props.label}: ${progressText(props.progress)}`}
    />
  );
}

function ItemIcon(props: { item: EntityChecklistItem }) {
  const classes = useStyles();
  switch (props.item.effectiveStatus) {
    case 'done':
      return <CheckBoxIcon className={classes.done} aria-hidden />;
    case 'not-applicable':
      return (
        <IndeterminateCheckBoxIcon className={classes.waived} aria-hidden />
      );
    default:
      return <CheckBoxOutlineBlankIcon className={classes.open} aria-hidden />;
  }
}

interface Permissions {
  canUpdate: boolean;
  canWaive: boolean;
}

/** An action on an item: one of the dialog's, or asking for a waiver. */
type ItemAction = ChecklistAction | 'request-waiver';

/**
 * The item's waiver request, if the backend sends one (an optional field of
 * the item that older backends do not send).
 */
function waiverRequestOf(item: EntityChecklistItem): WaiverRequest | undefined {
  const request = (item as { waiverRequest?: unknown }).waiverRequest;
  return request &&
    typeof request === 'object' &&
    typeof (request as WaiverRequest).status === 'string'
    ? (request as WaiverRequest)
    : undefined;
}

function ItemRow(props: {
  item: EntityChecklistItem;
  phaseId: string;
  step?: number;
  permissions: Permissions;
  /** A waiver request made from this page, until the item carries it. */
  waiverRequest?: WaiverRequest;
  onAction: (item: EntityChecklistItem, action: ItemAction) => void;
}) {
  const classes = useStyles();
  const { item, permissions } = props;
  const { state, definition } = item;
  const status = item.effectiveStatus;
  const attestable = definition.kind !== 'automatic';
  const text = props.step
    ? `${props.step}. ${definition.text}`
    : definition.text;
  const waiverRequest = waiverRequestOf(item) ?? props.waiverRequest;
  const pending = waiverRequest?.status === 'pending';
  return (
    <li
      className={classes.item}
      aria-label={definition.text}
      id={checklistItemAnchor(props.phaseId, definition.id)}
    >
      <ItemIcon item={item} />
      <Box className={classes.body}>
        <Typography variant="body2">{text}</Typography>
        <Box className={classes.meta}>
          <Chip
            size="small"
            label={ITEM_STATUS_LABELS[status]}
            aria-label={`Status: ${ITEM_STATUS_LABELS[status]}`}
          />
          <Typography variant="caption" color="textSecondary">
            {ITEM_KIND_LABELS[definition.kind] ?? definition.kind}
          </Typography>
          {item.expired && (
            <Typography variant="caption" className={classes.warning}>
              Expired
              {state.expiresAt
                ? ` on ${new Date(state.expiresAt).toLocaleDateString()}`
                : ''}
              : renew it.
            </Typography>
          )}
          {!item.expired && item.expiresSoon && state.expiresAt && (
            <Typography variant="caption" className={classes.warning}>
              Expires soon, on {new Date(state.expiresAt).toLocaleDateString()}
            </Typography>
          )}
          {!item.expired &&
            !item.expiresSoon &&
            state.expiresAt &&
            status !== 'open' && (
              <Typography variant="caption" color="textSecondary">
                Valid until {new Date(state.expiresAt).toLocaleDateString()}
              </Typography>
            )}
        </Box>
        {state.status !== 'open' && state.attestedBy && (
          <Typography variant="caption" component="p" color="textSecondary">
            {state.status === 'done' ? 'Attested' : 'Waived'} by{' '}
            {shortRef(state.attestedBy)}
            {state.attestedAt && ` ${formatRelativeTime(state.attestedAt)}`}
            {state.evidenceUrl && (
              <>
                {' · '}
                <Link to={state.evidenceUrl}>Evidence</Link>
              </>
            )}
          </Typography>
        )}
        {state.justification && state.status === 'not-applicable' && (
          <Typography variant="caption" component="p">
            Justification: {state.justification}
          </Typography>
        )}
        {state.note && (
          <Typography variant="caption" component="p">
            Note: {state.note}
          </Typography>
        )}
        {waiverRequest && (
          <Typography
            variant="caption"
            component="p"
            className={pending ? classes.warning : undefined}
            aria-label={`Waiver request: ${waiverRequest.status}`}
          >
            {waiverRequestText(waiverRequest)}
          </Typography>
        )}
        {item.checks.length > 0 && (
          <Typography variant="caption" component="p" color="textSecondary">
            Checks:{' '}
            {item.checks
              .map(
                check =>
                  `${check.title} (${
                    check.status === 'missing'
                      ? 'not evaluated'
                      : RESULT_STATUS_LABELS[check.status].toLocaleLowerCase(
                          'en-US',
                        )
                  })`,
              )
              .join(', ')}
          </Typography>
        )}
      </Box>
      <Box className={classes.actions}>
        {permissions.canUpdate && attestable && status !== 'done' && (
          <Button
            size="small"
            variant="outlined"
            color="primary"
            onClick={() => props.onAction(item, 'attest')}
            aria-label={`Mark as done: ${definition.text}`}
          >
            {item.expired ? 'Renew' : 'Mark done'}
          </Button>
        )}
        {permissions.canWaive && status === 'open' && (
          <Button
            size="small"
            onClick={() => props.onAction(item, 'waive')}
            aria-label={`Waive: ${definition.text}`}
          >
            Waive
          </Button>
        )}
        {!permissions.canWaive &&
          permissions.canUpdate &&
          status === 'open' &&
          !pending && (
            <Button
              size="small"
              onClick={() => props.onAction(item, 'request-waiver')}
              aria-label={`Request a waiver: ${definition.text}`}
            >
              Request waiver
            </Button>
          )}
        {permissions.canUpdate && state.status !== 'open' && (
          <Button
            size="small"
            onClick={() => props.onAction(item, 'reopen')}
            aria-label={`Reopen: ${definition.text}`}
          >
            Reopen
          </Button>
        )}
      </Box>
    </li>
  );
}

function ChecklistBlock(props: {
  phase: EntityPhase;
  checklist: EntityChecklist;
  permissions: Permissions;
  requests: Map<string, WaiverRequest>;
  onAction: (
    phaseId: string,
    item: EntityChecklistItem,
    action: ItemAction,
  ) => void;
}) {
  const classes = useStyles();
  const { checklist } = props;
  const headingId = `checklist-${props.phase.id}-${checklist.id}`;
  return (
    <section className={classes.checklist} aria-labelledby={headingId}>
      <Typography variant="subtitle1" component="h4" id={headingId}>
        {checklist.title}{' '}
        <Typography component="span" variant="body2" color="textSecondary">
          — {progressText(checklist.progress)}
        </Typography>
      </Typography>
      <ProgressBar progress={checklist.progress} label={checklist.title} />
      <ul className={classes.list} aria-label={checklist.title}>
        {checklist.items.map((item, index) => (
          <ItemRow
            key={item.definition.id}
            item={item}
            phaseId={props.phase.id}
            waiverRequest={props.requests.get(
              `${props.phase.id}/${item.definition.id}`,
            )}
            step={checklist.ordered ? index + 1 : undefined}
            permissions={props.permissions}
            onAction={(i, action) => props.onAction(props.phase.id, i, action)}
          />
        ))}
      </ul>
    </section>
  );
}

/** Which items block a phase, in one line. */
function Blocking(props: { progress: ChecklistProgress }) {
  const { blocking, expiringSoon } = props.progress;
  if (blocking.length === 0 && expiringSoon.length === 0) {
    return <Typography variant="body2">Every item is done.</Typography>;
  }
  return (
    <Typography variant="body2">
      {blocking.length > 0 && `${blocking.length} open`}
      {blocking.length > 0 && expiringSoon.length > 0 && ', '}
      {expiringSoon.length > 0 &&
        `${expiringSoon.length} expiring within 30 days`}
      .
    </Typography>
  );
}

/**
 * The phase checklists of an entity: progress, items with their attestation,
 * and (where permitted) the actions to attest, waive and reopen them.
 */
export function ChecklistsSection(props: {
  entityRef: string;
  /** Called after an item was saved, for example to reload the audit trail. */
  onChanged?: () => void;
  /** Called with the checklists whenever they are (re)loaded. */
  onLoaded?: (checklists: EntityChecklists) => void;
  /** Changes when the entity was re-evaluated (a signal), to reload. */
  reloadKey?: unknown;
}) {
  const classes = useStyles();
  const api = useApi(readinessApiRef);
  const { entityRef } = props;
  const { allowed: canUpdate } = usePermission({
    permission: readinessChecklistUpdatePermission,
    resourceRef: entityRef,
  });
  const { allowed: canWaive } = usePermission({
    permission: readinessChecklistWaivePermission,
    resourceRef: entityRef,
  });
  const fetched = useAsyncRetry(
    () => api.getChecklists(entityRef),
    [api, entityRef, props.reloadKey],
  );
  const [saved, setSaved] = useState<EntityChecklists>();
  const [editing, setEditing] = useState<{
    phaseId: string;
    item: EntityChecklistItem;
    action: ItemAction;
  }>();
  const [requests, setRequests] = useState(new Map<string, WaiverRequest>());
  const [announcement, setAnnouncement] = useState('');

  // A signal that the entity was re-evaluated: show the reloaded list.
  useEffect(() => setSaved(undefined), [props.reloadKey]);

  const value = saved ?? fetched.value;
  const { onLoaded } = props;
  useEffect(() => {
    if (value) {
      onLoaded?.(value);
    }
  }, [value, onLoaded]);
  if (fetched.loading && !value) {
    return <Progress aria-label="Loading the checklists" />;
  }
  if (fetched.error && !value) {
    return (
      <WarningPanel
        defaultExpanded
        severity={statusCodeOf(fetched.error) === 404 ? 'info' : 'error'}
        title="The checklists cannot be shown"
        message={explainError(fetched.error, 'the checklists')}
      >
        <Typography variant="body2">{fetched.error.message}</Typography>
        <Button size="small" onClick={fetched.retry}>
          Try again
        </Button>
      </WarningPanel>
    );
  }
  if (!value || value.phases.length === 0) {
    return (
      <Typography>
        No phase applies to this entity, so it has no checklist.
      </Typography>
    );
  }

  const reload = async () => {
    // Keep showing the list while it reloads.
    try {
      setSaved(await api.getChecklists(entityRef));
    } catch {
      fetched.retry();
    }
  };

  const onSaved = async (item: EntityChecklistItem) => {
    setEditing(undefined);
    setAnnouncement(
      `Saved: "${item.definition.text}" is now ${ITEM_STATUS_LABELS[
        item.effectiveStatus
      ].toLocaleLowerCase('en-US')}.`,
    );
    props.onChanged?.();
    // Reload for the recomputed progress.
    await reload();
  };

  const onRequested = async (request: WaiverRequest, text: string) => {
    setEditing(undefined);
    setRequests(
      previous =>
        new Map([
          ...previous,
          [`${request.phaseId}/${request.itemId}`, request],
        ]),
    );
    setAnnouncement(
      `Waiver requested for "${text}": a readiness administrator will approve or deny it.`,
    );
    props.onChanged?.();
    await reload();
  };

  return (
    <Box>
      <Typography role="status" variant="body2" aria-live="polite">
        {announcement}
      </Typography>
      {!canUpdate && !canWaive && (
        <Typography variant="body2" color="textSecondary" paragraph>
          Only the owners of this service and readiness administrators can
          attest or waive items.
        </Typography>
      )}
      {value.phases.map(phase => (
        <section
          key={phase.id}
          className={classes.phase}
          aria-labelledby={`phase-${phase.id}`}
        >
          <Typography variant="h6" component="h3" id={`phase-${phase.id}`}>
            {phase.title} — {progressText(phase.progress)}
          </Typography>
          <ProgressBar progress={phase.progress} label={phase.title} />
          <Blocking progress={phase.progress} />
          {phase.checklists.map(checklist => (
            <ChecklistBlock
              key={checklist.id}
              phase={phase}
              checklist={checklist}
              permissions={{ canUpdate, canWaive }}
              requests={requests}
              onAction={(phaseId, item, action) =>
                setEditing({ phaseId, item, action })
              }
            />
          ))}
        </section>
      ))}
      {editing && editing.action === 'request-waiver' && (
        <WaiverRequestDialog
          entityRef={entityRef}
          phaseId={editing.phaseId}
          itemId={editing.item.definition.id}
          itemText={editing.item.definition.text}
          onClose={() => setEditing(undefined)}
          onRequested={request =>
            onRequested(request, editing.item.definition.text)
          }
        />
      )}
      {editing && editing.action !== 'request-waiver' && (
        <ChecklistItemDialog
          entityRef={entityRef}
          phaseId={editing.phaseId}
          item={editing.item}
          action={editing.action}
          onClose={() => setEditing(undefined)}
          onSaved={onSaved}
          onRequestWaiver={() =>
            setEditing({ ...editing, action: 'request-waiver' })
          }
        />
      )}
    </Box>
  );
}
