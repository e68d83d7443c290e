import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  AuditEntry,
  ChecklistItemSnapshot,
} from '@prodready/plugin-readiness-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api';
import { explainError } from '../common/errors';
import { shortRef } from '../common/format';
import { ITEM_STATUS_LABELS } from './itemStatus';

const PAGE_SIZE = 20;

function statusOf(snapshot: ChecklistItemSnapshot | null): string {
  return snapshot ? ITEM_STATUS_LABELS[snapshot.status] : 'Never set';
}

/**
 * The audit trail of an entity's checklists: who changed what, when, with
 * the evidence. Remount it (change its `key`) to reload it.
 */
export function AuditTrail(props: {
  entityRef: string;
  /** Item texts by `phaseId/itemId`, to name the items. */
  itemTexts?: Map<string, string>;
}) {
  const api = useApi(readinessApiRef);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [pageCursor, setPageCursor] = useState<string>();

  const page = useAsync(async () => {
    const result = await api.getChecklistAudit(props.entityRef, {
      limit: PAGE_SIZE,
      cursor: pageCursor,
    });
    setEntries(previous =>
      pageCursor ? [...previous, ...result.entries] : result.entries,
    );
    setCursor(result.nextCursor);
    return result;
  }, [api, props.entityRef, pageCursor]);

  if (page.loading && entries.length === 0) {
    return <Progress aria-label="Loading the audit trail" />;
  }
  if (page.error && entries.length === 0) {
    return (
      <WarningPanel
        defaultExpanded
        severity="error"
        title="The audit trail cannot be shown"
        message={explainError(page.error, 'the audit trail')}
      >
        {page.error.message}
      </WarningPanel>
    );
  }
  if (entries.length === 0) {
    return (
      <Typography>
        No checklist item of this service has been changed yet.
      </Typography>
    );
  }
  return (
    <>
      <Table size="small" aria-label="Audit trail">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Who</TableCell>
            <TableCell>Item</TableCell>
            <TableCell>Change</TableCell>
            <TableCell>Evidence and notes</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {entries.map((entry, index) => (
            <TableRow key={entry.id ?? `${entry.when}-${index}`}>
              <TableCell>
                <time dateTime={entry.when}>
                  {new Date(entry.when).toLocaleString()}
                </time>
              </TableCell>
              <TableCell>{shortRef(entry.who)}</TableCell>
              <TableCell>
                {props.itemTexts?.get(`${entry.phaseId}/${entry.itemId}`) ??
                  entry.itemId}
              </TableCell>
              <TableCell>
                {statusOf(entry.before)} → {statusOf(entry.after)}
              </TableCell>
              <TableCell>
                {(entry.after.evidenceUrl ?? entry.evidence) && (
                  <Link to={(entry.after.evidenceUrl ?? entry.evidence)!}>
                    Evidence
                  </Link>
                )}
                {entry.after.justification && (
                  <Typography variant="body2">
                    Justification: {entry.after.justification}
                  </Typography>
                )}
                {entry.after.note && (
                  <Typography variant="body2">
                    Note: {entry.after.note}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {cursor && (
        <Button
          onClick={() => setPageCursor(cursor)}
          disabled={page.loading}
          size="small"
        >
          {page.loading ? 'Loading…' : 'Show older changes'}
        </Button>
      )}
    </>
  );
}
