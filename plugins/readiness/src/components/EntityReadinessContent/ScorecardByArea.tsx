import Accordion from '@material-ui/core/Accordion';
import Button from '@material-ui/core/Button';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  EntityScorecard,
  EntityScorecardResult,
  READINESS_AREAS,
  RemediationFix,
  RemediationPlan,
  RemediationUnfixable,
} from '@prodready/plugin-readiness-common';
import { useState } from 'react';
import { CheckResultItem } from '../common/CheckResultItem';
import { formatScore } from '../common/format';
import { needsAttention } from '../common/ResultStatus';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0, width: '100%' },
  // minWidth 0: a wide diff scrolls inside its box instead of widening the area.
  details: { width: '100%', minWidth: 0 },
  summary: { display: 'flex', gap: theme.spacing(2), width: '100%' },
  title: {
    flexGrow: 1,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
}));

/** The fix and the reason of no fix of each check, by check id. */
interface PlanByCheck {
  fixes: Map<string, RemediationFix>;
  unfixable: Map<string, RemediationUnfixable>;
}

function planByCheck(plan: RemediationPlan | undefined): PlanByCheck {
  return {
    fixes: new Map(plan?.fixes.map(fix => [fix.checkId, fix])),
    unfixable: new Map(plan?.unfixable.map(u => [u.checkId, u])),
  };
}

/**
 * The results of one area: those that need attention, then (on request) the
 * others.
 */
function AreaResults(props: {
  title: string;
  results: EntityScorecardResult[];
  plan: PlanByCheck;
}) {
  const classes = useStyles();
  const attention = props.results.filter(r => needsAttention(r.status));
  const others = props.results.filter(r => !needsAttention(r.status));
  const [showOthers, setShowOthers] = useState(attention.length === 0);
  const shown = showOthers ? [...attention, ...others] : attention;
  return (
    <div className={classes.details}>
      <ul className={classes.list} aria-label={`${props.title} checks`}>
        {shown.map(result => (
          <CheckResultItem
            key={result.checkId}
            result={result}
            fix={props.plan.fixes.get(result.checkId)}
            unfixable={props.plan.unfixable.get(result.checkId)}
          />
        ))}
      </ul>
      {others.length > 0 && attention.length > 0 && (
        <Button
          size="small"
          onClick={() => setShowOthers(show => !show)}
          aria-expanded={showOthers}
        >
          {showOthers
            ? 'Hide the passing and not applicable checks'
            : `Show ${others.length} passing or not applicable check${
                others.length === 1 ? '' : 's'
              }`}
        </Button>
      )}
    </div>
  );
}

/**
 * Every result of the scorecard, grouped by area in the programme's order;
 * areas with failing checks come open, the others closed. With the
 * remediation plan of the entity, its failing checks show this service's fix
 * (or why it has none).
 */
export function ScorecardByArea(props: {
  scorecard: EntityScorecard;
  plan?: RemediationPlan;
}) {
  const classes = useStyles();
  const { scorecard } = props;
  const plan = planByCheck(props.plan);
  const byArea = new Map<string, EntityScorecardResult[]>();
  for (const result of scorecard.results) {
    byArea.set(result.area, [...(byArea.get(result.area) ?? []), result]);
  }
  const scores = new Map(scorecard.areas.map(a => [a.area, a]));
  const areas = READINESS_AREAS.filter(area => byArea.has(area.id));
  if (areas.length === 0) {
    return <Typography>No check applies to this entity.</Typography>;
  }
  return (
    <div>
      {areas.map(area => {
        const results = byArea.get(area.id)!;
        const failing = results.filter(r => needsAttention(r.status)).length;
        const score = scores.get(area.id)?.score ?? null;
        const summaryId = `area-${area.id}`;
        return (
          <Accordion
            key={area.id}
            defaultExpanded={failing > 0}
            TransitionProps={{ unmountOnExit: false }}
          >
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-controls={`${summaryId}-content`}
              id={summaryId}
            >
              <div className={classes.summary}>
                <Typography className={classes.title}>{area.title}</Typography>
                <Typography color="textSecondary">
                  {formatScore(score)}
                  {' · '}
                  {failing === 0 ? 'nothing to fix' : `${failing} to fix`}
                </Typography>
              </div>
            </AccordionSummary>
            <AccordionDetails id={`${summaryId}-content`}>
              <AreaResults title={area.title} results={results} plan={plan} />
            </AccordionDetails>
          </Accordion>
        );
      })}
    </div>
  );
}
