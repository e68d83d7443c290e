import { Link } from '@backstage/core-components';
import MuiLink from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InitiativeShortfall } from '@prodready/plugin-readiness-common';
import { MouseEvent } from 'react';
import { checkAnchor, checklistItemAnchor } from '../common/anchors';

const useStyles = makeStyles(theme => ({
  list: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2.5) },
}));

const TYPE_LABELS: Record<InitiativeShortfall['type'], string> = {
  check: 'Check',
  level: 'Level',
  'checklist-item': 'Checklist item',
};

/** The element id of a shortfall on the Readiness tab, if it has one. */
export function shortfallAnchor(
  shortfall: InitiativeShortfall,
): string | undefined {
  if (shortfall.type === 'check') {
    return checkAnchor(shortfall.id);
  }
  if (shortfall.type === 'checklist-item' && shortfall.phaseId) {
    const itemId = shortfall.id.slice(shortfall.id.lastIndexOf('/') + 1);
    return checklistItemAnchor(shortfall.phaseId, itemId);
  }
  return undefined;
}

/** Scrolls to an element of this page and moves the focus to it. */
function scrollTo(event: MouseEvent, anchor: string) {
  const target = document.getElementById(anchor);
  if (!target) {
    return;
  }
  event.preventDefault();
  target.scrollIntoView?.({ behavior: 'smooth', block: 'center' });
  if (!target.hasAttribute('tabindex')) {
    target.setAttribute('tabindex', '-1');
  }
  target.focus({ preventScroll: true });
  window.history.replaceState(null, '', `#${anchor}`);
}

function ShortfallTitle(props: {
  shortfall: InitiativeShortfall;
  tabLink?: string;
  onTab?: boolean;
}) {
  const { shortfall } = props;
  const anchor = shortfallAnchor(shortfall);
  if (anchor && props.onTab) {
    return (
      <MuiLink href={`#${anchor}`} onClick={e => scrollTo(e, anchor)}>
        {shortfall.title}
      </MuiLink>
    );
  }
  if (props.tabLink) {
    return (
      <Link to={anchor ? `${props.tabLink}#${anchor}` : props.tabLink}>
        {shortfall.title}
      </Link>
    );
  }
  return <>{shortfall.title}</>;
}

/**
 * What an entity lacks to meet an initiative: failing checks, the level not
 * reached, open checklist items; each linked to the check or item on the
 * entity's Readiness tab.
 */
export function ShortfallList(props: {
  shortfalls: InitiativeShortfall[];
  /** The entity's Readiness tab, to link each shortfall to. */
  tabLink?: string;
  /** The list is on the Readiness tab itself: links scroll to the item. */
  onTab?: boolean;
  label: string;
}) {
  const classes = useStyles();
  if (props.shortfalls.length === 0) {
    return null;
  }
  return (
    <ul className={classes.list} aria-label={props.label}>
      {props.shortfalls.map(shortfall => (
        <li key={`${shortfall.type}:${shortfall.id}`}>
          <Typography variant="body2" component="span">
            {TYPE_LABELS[shortfall.type] ?? shortfall.type}:{' '}
            <ShortfallTitle
              shortfall={shortfall}
              tabLink={props.tabLink}
              onTab={props.onTab}
            />
          </Typography>
          {shortfall.message && (
            <Typography variant="body2" color="textSecondary" component="span">
              {' '}
              — {shortfall.message}
            </Typography>
          )}
        </li>
      ))}
    </ul>
  );
}
