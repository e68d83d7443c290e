export type { GroupHierarchy, GroupTree } from './GroupHierarchy';
export {
  CatalogGroupHierarchy,
  DEFAULT_GROUP_REFRESH_INTERVAL_MS,
  buildGroupTree,
  descendantsInTree,
  readGroupRefreshInterval,
} from './GroupHierarchy';
export { expandOwners } from './expandOwners';
