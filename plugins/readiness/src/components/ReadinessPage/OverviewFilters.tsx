import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import {
  LevelDefinition,
  OVERVIEW_FILTER_NONE,
  OverviewFilter,
  READINESS_TIERS,
} from '@prodready/plugin-readiness-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from '../../api';
import { shortRef } from '../common/format';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'flex-end',
  },
  control: { minWidth: 160, maxWidth: 260 },
}));

/** The filters of the overview that are lists of values. */
type ListKey = 'owner' | 'system' | 'lifecycle' | 'tier' | 'level';

interface Option {
  value: string;
  label: string;
}

const FACETS = {
  owner: 'spec.owner',
  system: 'spec.system',
  lifecycle: 'spec.lifecycle',
} as const;

/** The values of owner, system and lifecycle in the catalog's components. */
function useCatalogOptions(): Record<keyof typeof FACETS, Option[]> {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    try {
      const { facets } = await catalogApi.getEntityFacets({
        facets: Object.values(FACETS),
        filter: { kind: 'component' },
      });
      return facets;
    } catch {
      // The filters still work with the values in the URL.
      return {};
    }
  }, [catalogApi]);
  const options = (facet: string) =>
    (value?.[facet] ?? [])
      .map(({ value: v }) => ({ value: v, label: shortRef(v) }))
      .sort((a, b) => a.label.localeCompare(b.label));
  return {
    owner: options(FACETS.owner),
    system: options(FACETS.system),
    lifecycle: options(FACETS.lifecycle),
  };
}

/** The initiatives, for the initiative filter; none when they fail to load. */
function useInitiativeOptions(): Option[] {
  const api = useApi(readinessApiRef);
  const { value } = useAsync(async () => {
    try {
      return (await api.getInitiatives()).items;
    } catch {
      // The filter still works with the value in the URL.
      return [];
    }
  }, [api]);
  return (value ?? [])
    .map(i => ({ value: i.id, label: i.title }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The initiative filter: one initiative, or all services. */
function InitiativeSelect(props: {
  selected?: string;
  onChange: (initiative: string | undefined) => void;
}) {
  const classes = useStyles();
  const known = useInitiativeOptions();
  const options =
    props.selected && !known.some(o => o.value === props.selected)
      ? [...known, { value: props.selected, label: props.selected }]
      : known;
  if (options.length === 0) {
    return null;
  }
  const labelId = 'overview-filter-initiative-label';
  return (
    <FormControl className={classes.control} size="small">
      <InputLabel id={labelId} shrink>
        Initiative
      </InputLabel>
      <Select
        labelId={labelId}
        id="overview-filter-initiative"
        value={props.selected ?? ''}
        onChange={e => props.onChange((e.target.value as string) || undefined)}
        displayEmpty
        MenuProps={{
          getContentAnchorEl: null,
          anchorOrigin: { vertical: 'bottom', horizontal: 'left' },
        }}
      >
        <MenuItem value="">
          <ListItemText primary="All services" />
        </MenuItem>
        {options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            <ListItemText primary={option.label} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

function MultiSelect(props: {
  id: ListKey;
  label: string;
  options: Option[];
  selected: string[];
  onChange: (values: string[]) => void;
}) {
  const classes = useStyles();
  // Values from the URL that the catalog does not list stay selectable.
  const known = new Set(props.options.map(o => o.value));
  const options = [
    ...props.options,
    ...props.selected
      .filter(v => !known.has(v))
      .map(v => ({
        value: v,
        label: v === OVERVIEW_FILTER_NONE ? 'None' : shortRef(v),
      })),
  ];
  const labelOf = (v: string) => options.find(o => o.value === v)?.label ?? v;
  const labelId = `overview-filter-${props.id}-label`;
  return (
    <FormControl className={classes.control} size="small">
      <InputLabel id={labelId} shrink>
        {props.label}
      </InputLabel>
      <Select
        labelId={labelId}
        id={`overview-filter-${props.id}`}
        multiple
        value={props.selected}
        onChange={e => props.onChange(e.target.value as string[])}
        renderValue={selected =>
          (selected as string[]).length === 0
            ? 'All'
            : (selected as string[]).map(labelOf).join(', ')
        }
        displayEmpty
        MenuProps={{
          getContentAnchorEl: null,
          anchorOrigin: { vertical: 'bottom', horizontal: 'left' },
        }}
      >
        {options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            <Checkbox
              checked={props.selected.includes(option.value)}
              size="small"
              inputProps={{ 'aria-hidden': true }}
              tabIndex={-1}
            />
            <ListItemText primary={option.label} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * The filters of the overview: owner, system, lifecycle, tier, level, a
 * text search and the initiative whose scope to show. Changes go to the page URL through `onChange`.
 */
export function OverviewFilters(props: {
  filter: OverviewFilter;
  levels: ReadonlyArray<LevelDefinition>;
  onChange: (filter: OverviewFilter) => void;
}) {
  const classes = useStyles();
  const catalog = useCatalogOptions();
  const { filter, onChange } = props;
  const [q, setQ] = useState(filter.q ?? '');
  useEffect(() => setQ(filter.q ?? ''), [filter.q]);

  // Apply the text search a moment after typing stops.
  useEffect(() => {
    if ((filter.q ?? '') === q.trim()) {
      return undefined;
    }
    const timer = setTimeout(
      () => onChange({ ...filter, q: q.trim() || undefined }),
      300,
    );
    return () => clearTimeout(timer);
  }, [q, filter, onChange]);

  const none = { value: OVERVIEW_FILTER_NONE, label: 'None' };
  const lists: Array<{ id: ListKey; label: string; options: Option[] }> = [
    {
      id: 'owner',
      label: 'Owner',
      options: [...catalog.owner, { ...none, label: 'No owner' }],
    },
    {
      id: 'system',
      label: 'System',
      options: [...catalog.system, { ...none, label: 'No system' }],
    },
    { id: 'lifecycle', label: 'Lifecycle', options: catalog.lifecycle },
    {
      id: 'tier',
      label: 'Tier',
      options: [
        ...READINESS_TIERS.map(t => ({ value: t, label: t })),
        { ...none, label: 'No tier' },
      ],
    },
    {
      id: 'level',
      label: 'Level',
      options: [
        ...[...props.levels]
          .sort((a, b) => b.rank - a.rank)
          .map(l => ({ value: l.id, label: l.title })),
        { ...none, label: 'No level' },
      ],
    },
  ];
  const active =
    lists.some(l => (filter[l.id] ?? []).length > 0) ||
    Boolean(filter.q) ||
    Boolean(filter.initiative);

  return (
    <Box
      className={classes.root}
      role="search"
      aria-label="Filter the services"
    >
      <TextField
        id="overview-filter-q"
        label="Search services"
        placeholder="Name contains…"
        InputLabelProps={{ shrink: true }}
        value={q}
        onChange={e => setQ(e.target.value)}
        size="small"
        className={classes.control}
      />
      {lists.map(list => (
        <MultiSelect
          key={list.id}
          id={list.id}
          label={list.label}
          options={list.options}
          selected={filter[list.id] ?? []}
          onChange={values =>
            onChange({
              ...filter,
              [list.id]: values.length ? values : undefined,
            })
          }
        />
      ))}
      <InitiativeSelect
        selected={filter.initiative}
        onChange={initiative => onChange({ ...filter, initiative })}
      />
      {active && (
        <Button size="small" onClick={() => onChange({})}>
          Clear filters
        </Button>
      )}
    </Box>
  );
}
