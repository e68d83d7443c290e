export { EntityGroupReadinessCard } from './EntityGroupReadinessCard';
export type { EntityGroupReadinessCardProps } from './EntityGroupReadinessCard';
