import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import StarIcon from '@material-ui/icons/Star';
import StarBorderIcon from '@material-ui/icons/StarBorder';
import {
  DEFAULT_LEVELS,
  LevelDefinition,
} from '@prodready/plugin-readiness-common';

const useStyles = makeStyles(theme => ({
  badge: {
    fontWeight: theme.typography.fontWeightMedium as number,
    borderWidth: 2,
  },
}));

/** The title of a level id, from the given levels or the default ones. */
export function levelTitle(
  level: string | null | undefined,
  levels: ReadonlyArray<LevelDefinition> = DEFAULT_LEVELS,
  title?: string,
): string {
  if (!level) {
    return 'No level';
  }
  return title ?? levels.find(l => l.id === level)?.title ?? level;
}

/**
 * The level an entity reached, as a badge whose text says the level (the
 * colour only repeats it).
 */
export function LevelBadge(props: {
  level: string | null | undefined;
  title?: string;
  levels?: ReadonlyArray<LevelDefinition>;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const levels = props.levels ?? DEFAULT_LEVELS;
  const definition = levels.find(l => l.id === props.level);
  const text = levelTitle(props.level, levels, props.title);
  const Icon = props.level ? StarIcon : StarBorderIcon;
  return (
    <Chip
      className={classes.badge}
      size={props.size ?? 'small'}
      variant="outlined"
      icon={
        <Icon
          aria-hidden
          style={definition?.color ? { color: definition.color } : undefined}
        />
      }
      label={text}
      aria-label={`Level: ${text}`}
      style={definition?.color ? { borderColor: definition.color } : undefined}
    />
  );
}
