export {
  EntityInitiativesCard,
  EntityInitiativesList,
} from './EntityInitiativesCard';
export type { EntityInitiativesCardProps } from './EntityInitiativesCard';
