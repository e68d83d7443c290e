import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  BUILT_IN_PHASES,
  ChecklistDefinition,
  PhaseDefinition,
} from '@prodready/plugin-readiness-common';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api';
import { CatalogProblemsSection } from './CatalogProblemsSection';

const KIND_LABELS: Record<string, string> = {
  manual: 'Attested',
  automatic: 'Checked',
  both: 'Checked and attested',
};

function BackendStatus() {
  const api = useApi(readinessApiRef);
  const { loading, error } = useAsync(() => api.getHealth(), [api]);
  if (loading) {
    return <Progress aria-label="Checking the readiness backend" />;
  }
  if (error) {
    return (
      <WarningPanel
        severity="error"
        defaultExpanded
        title="The readiness backend cannot be reached"
        message="Scorecards and checklists are unavailable until it answers. Check that the backend is running and that the readiness plugin is installed in it."
      >
        {error.message}
      </WarningPanel>
    );
  }
  return (
    <Chip
      label="Readiness backend connected"
      color="primary"
      variant="outlined"
      size="small"
    />
  );
}

function ChecklistCard({ checklist }: { checklist: ChecklistDefinition }) {
  return (
    <InfoCard
      title={checklist.title}
      subheader={`${checklist.items.length} items`}
    >
      <List dense aria-label={checklist.title}>
        {checklist.items.map((item, index) => (
          <ListItem key={item.id} divider>
            <ListItemText
              primary={checklist.ordered ? `${index + 1}. ${item.text}` : item.text}
              secondary={KIND_LABELS[item.kind] ?? item.kind}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}

function PhaseSection({ phase }: { phase: PhaseDefinition }) {
  return (
    <section aria-labelledby={`phase-${phase.id}`}>
      <ContentHeader title={phase.title} titleComponent={
        <Typography variant="h5" component="h2" id={`phase-${phase.id}`}>
          {phase.title}
        </Typography>
      } />
      {phase.description && (
        <Typography variant="body1" paragraph>
          {phase.description}
        </Typography>
      )}
      <Grid container spacing={3}>
        {phase.checklists.map(checklist => (
          <Grid item xs={12} md={6} key={checklist.id}>
            <ChecklistCard checklist={checklist} />
          </Grid>
        ))}
      </Grid>
    </section>
  );
}

/**
 * The production readiness page: the programme's phases and their checklists.
 *
 * @public
 */
export function ReadinessPage(props: { phases?: PhaseDefinition[] }) {
  const phases = props.phases ?? BUILT_IN_PHASES;
  return (
    <Page themeId="tool">
      <Header
        title="Production readiness"
        subtitle="Scorecards, phase checklists and service levels across every service"
      />
      <Content>
        <Grid container spacing={3} direction="column">
          <Grid item>
            <BackendStatus />
          </Grid>
          <Grid item>
            <CatalogProblemsSection />
          </Grid>
          {phases.map(phase => (
            <Grid item key={phase.id}>
              <PhaseSection phase={phase} />
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
