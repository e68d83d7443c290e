export { ServiceLevelsCard } from './ServiceLevelsCard';
export type { ServiceLevelsCardProps } from './ServiceLevelsCard';
