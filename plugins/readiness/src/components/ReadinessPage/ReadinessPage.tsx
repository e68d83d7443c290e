import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  BUILT_IN_PHASES,
  DEFAULT_LEVELS,
  LevelDefinition,
  OverviewOrderBy,
  PhaseDefinition,
  PhaseSummary,
  buildOverviewQueryString,
} from '@prodready/plugin-readiness-common';
import { memo, useCallback } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api';
import { useOverviewSignal } from '../../hooks/useReadinessSignals';
import { InitiativesSection } from '../Initiatives/InitiativesSection';
import { WaiverRequestsPanel } from '../Waivers';
import { ITEM_KIND_LABELS } from '../EntityReadinessContent/itemStatus';
import { CatalogProblemsSection } from './CatalogProblemsSection';
import { ExportCsvButton } from './ExportCsvButton';
import { OverviewFilters } from './OverviewFilters';
import {
  OverviewSummaryPanel,
  PortfolioTrendPanel,
} from './OverviewSummaryPanel';
import { OverviewTable } from './OverviewTable';
import { OverviewView, useOverviewQuery } from './useOverviewQuery';
import { useOverviewRows } from './useOverviewRows';

/** The programme's phases and their checklist items, for reference. */
function ProgrammeSection(props: { phases: ReadonlyArray<PhaseDefinition> }) {
  return (
    <section aria-labelledby="readiness-programme">
      <Typography
        variant="h5"
        component="h2"
        id="readiness-programme"
        gutterBottom
      >
        The programme
      </Typography>
      {props.phases.map(phase => (
        <Accordion key={phase.id}>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography>
              {phase.title}: {phase.checklists.length} checklists,{' '}
              {phase.checklists.reduce((n, c) => n + c.items.length, 0)} items
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <Grid container spacing={2}>
              {phase.checklists.map(checklist => (
                <Grid item xs={12} md={6} key={checklist.id}>
                  <Typography variant="subtitle1" component="h3">
                    {checklist.title}
                  </Typography>
                  <List dense aria-label={checklist.title}>
                    {checklist.items.map((item, index) => (
                      <ListItem key={item.id} divider>
                        <ListItemText
                          primary={
                            checklist.ordered
                              ? `${index + 1}. ${item.text}`
                              : item.text
                          }
                          secondary={ITEM_KIND_LABELS[item.kind] ?? item.kind}
                        />
                      </ListItem>
                    ))}
                  </List>
                </Grid>
              ))}
            </Grid>
          </AccordionDetails>
        </Accordion>
      ))}
    </section>
  );
}

const NO_PHASES: PhaseSummary[] = [];

/**
 * The services of the view, fetched page by page as the user scrolls. Its
 * own component, so that a new page re-renders the table only.
 */
const ServicesSection = memo(function ServicesSectionContent(props: {
  view: OverviewView;
  viewKey: string;
  phases?: PhaseSummary[];
  levels: ReadonlyArray<LevelDefinition>;
  onSort: (orderBy: OverviewOrderBy, order: 'asc' | 'desc') => void;
  tableHeight?: number;
}) {
  const rows = useOverviewRows(props.view, props.viewKey);
  return (
    <section aria-labelledby="readiness-services">
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        mb={1}
        flexWrap="wrap"
      >
        <Typography variant="h5" component="h2" id="readiness-services">
          Services
        </Typography>
        <ExportCsvButton view={props.view} />
      </Box>
      <OverviewTable
        rows={rows}
        view={props.view}
        phases={props.phases ?? NO_PHASES}
        levels={props.levels}
        onSort={props.onSort}
        height={props.tableHeight}
      />
    </section>
  );
});

const MemoSummaryPanel = memo(OverviewSummaryPanel);
const MemoTrendPanel = memo(PortfolioTrendPanel);
const MemoFilters = memo(OverviewFilters);
const MemoProgramme = memo(ProgrammeSection);
const MemoCatalogProblems = memo(CatalogProblemsSection);
const MemoInitiatives = memo(InitiativesSection);
const MemoWaiverRequests = memo(WaiverRequestsPanel);

/**
 * The platform owners' overview: every service against every phase, with
 * filters kept in the URL, sorting, a summary per owner group, the portfolio
 * trend and a CSV export; then the catalog validation problems and the
 * programme itself.
 *
 * @public
 */
export function ReadinessPage(props: {
  phases?: PhaseDefinition[];
  /** The height of the services table's scrolling body, in pixels. */
  tableHeight?: number;
}) {
  const api = useApi(readinessApiRef);
  const { view, key, setFilter, setOrder } = useOverviewQuery();
  // Re-fetched when the backend signals that the overview changed.
  const signalled = useOverviewSignal();
  const filterKey = `${buildOverviewQueryString(view.filter)}#${signalled}`;
  const { value: checks } = useAsync(() => api.getChecks(), [api]);
  const { value: phaseSummaries } = useAsync(
    () => api.getPhases().catch(() => ({ phases: [] })),
    [api],
  );
  const levels = checks?.levels ?? DEFAULT_LEVELS;
  const onFilterOwner = useCallback(
    (owner: string) => setFilter({ ...view.filter, owner: [owner] }),
    [setFilter, view.filter],
  );

  return (
    <Page themeId="tool">
      <Header
        title="Production readiness"
        subtitle="Which services are not ready for production, and why"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Typography variant="body1">
              Every service against every phase. The least ready come first:
              open a service to see its failing checks and how to fix them.
            </Typography>
          </Grid>
          <Grid item xs={12}>
            <MemoWaiverRequests reloadKey={signalled} />
          </Grid>
          <Grid item xs={12}>
            <MemoInitiatives levels={levels} reloadKey={signalled} />
          </Grid>
          <Grid item xs={12}>
            <MemoFilters
              filter={view.filter}
              levels={levels}
              onChange={setFilter}
            />
          </Grid>
          <Grid item xs={12} lg={7}>
            <InfoCard
              title="Summary"
              titleTypographyProps={{ component: 'h2' }}
            >
              <MemoSummaryPanel
                filter={view.filter}
                filterKey={filterKey}
                levels={levels}
                onFilterOwner={onFilterOwner}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12} lg={5}>
            <InfoCard
              title="Portfolio trend"
              titleTypographyProps={{ component: 'h2' }}
            >
              <MemoTrendPanel filter={view.filter} filterKey={filterKey} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <ServicesSection
              view={view}
              viewKey={`${key}#${signalled}`}
              phases={phaseSummaries?.phases}
              levels={levels}
              onSort={setOrder}
              tableHeight={props.tableHeight}
            />
          </Grid>
          <Grid item xs={12}>
            <MemoCatalogProblems />
          </Grid>
          <Grid item xs={12}>
            <MemoProgramme phases={props.phases ?? BUILT_IN_PHASES} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
