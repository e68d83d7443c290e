import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CatalogValidationProblem } from '@prodready/plugin-readiness-common';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api';

const useStyles = makeStyles(theme => ({
  ref: { minWidth: 180, overflowWrap: 'anywhere' },
  location: { minWidth: 160, overflowWrap: 'anywhere' },
  message: { '& + &': { marginTop: theme.spacing(0.5) } },
  lastSeen: { whiteSpace: 'nowrap' },
}));

const TITLE = 'Catalog validation problems';
const HEADING_ID = 'catalog-validation-problems';

/** "3 min ago" for recent times, else the local date and time. */
function formatLastSeen(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return iso;
  }
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
  if (minutes < 1 && minutes > -1) {
    return 'Just now';
  }
  if (minutes >= 1 && minutes < 60) {
    return `${minutes} min ago`;
  }
  return at.toLocaleString();
}

/** `url:https://…` locations link to the file; others are shown as they are. */
function Location({ location }: { location?: string }) {
  if (!location) {
    return <Typography color="textSecondary">Unknown</Typography>;
  }
  const url = location.startsWith('url:') ? location.slice(4) : undefined;
  if (url && /^https?:\/\//i.test(url)) {
    return <Link to={url}>{url}</Link>;
  }
  return <>{location}</>;
}

function ProblemsTable({ items }: { items: CatalogValidationProblem[] }) {
  const classes = useStyles();
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label={TITLE}>
        <TableHead>
          <TableRow>
            <TableCell>Entity</TableCell>
            <TableCell>Defined in</TableCell>
            <TableCell>Problem</TableCell>
            <TableCell>Last seen</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(problem => (
            <TableRow key={problem.entityRef}>
              <TableCell className={classes.ref}>
                <Typography variant="body2" component="code">
                  {problem.entityRef}
                </Typography>
              </TableCell>
              <TableCell className={classes.location}>
                <Location location={problem.location} />
              </TableCell>
              <TableCell>
                {problem.messages.map((message, index) => (
                  <Typography
                    key={index}
                    variant="body2"
                    display="block"
                    className={classes.message}
                  >
                    {message}
                  </Typography>
                ))}
              </TableCell>
              <TableCell className={classes.lastSeen}>
                <time
                  dateTime={problem.lastSeenAt}
                  title={`First seen ${new Date(
                    problem.firstSeenAt,
                  ).toLocaleString()}`}
                >
                  {formatLastSeen(problem.lastSeenAt)}
                </time>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** The HTTP status of a `ResponseError` from the client, if it is one. */
function statusCodeOf(error: Error): number | undefined {
  return error.name === 'ResponseError' &&
    'statusCode' in error &&
    typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}

function explain(error: Error): string {
  switch (statusCodeOf(error)) {
    case 403:
      return 'You are not allowed to see them. Ask a readiness administrator for access to the readiness overview.';
    case 401:
      return 'You are not signed in. Sign in again and reload the page.';
    default:
      return 'The readiness backend did not answer. Reload the page in a moment; if it keeps failing, check that the readiness backend is running.';
  }
}

function CatalogProblemsContent() {
  const api = useApi(readinessApiRef);
  const { loading, error, value } = useAsync(
    () => api.getCatalogProblems(),
    [api],
  );
  if (loading) {
    return <Progress aria-label="Loading the catalog validation problems" />;
  }
  if (error) {
    return (
      <WarningPanel
        severity="error"
        defaultExpanded
        title="The catalog validation problems cannot be shown"
        message={explain(error)}
      >
        {error.message}
      </WarningPanel>
    );
  }
  if (!value || value.items.length === 0) {
    return <Typography>No entity fails catalog validation.</Typography>;
  }
  return <ProblemsTable items={value.items} />;
}

/**
 * The entities that the catalog cannot process, for example because a
 * `prodready.dev/` annotation is malformed. The catalog does not serve them,
 * so this is where their owners see why.
 */
export function CatalogProblemsSection() {
  return (
    <section aria-labelledby={HEADING_ID}>
      <Typography variant="h5" component="h2" id={HEADING_ID} gutterBottom>
        {TITLE}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Entities that the catalog cannot process, for example because a
        prodready.dev/ annotation is malformed. They are missing from the
        catalog until their definition is fixed.
      </Typography>
      <CatalogProblemsContent />
    </section>
  );
}
