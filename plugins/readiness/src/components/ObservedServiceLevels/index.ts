export { ObservedServiceLevels } from './ObservedServiceLevels';
export type { ObservedServiceLevelsProps } from './ObservedServiceLevels';
export { AvailabilitySparkline } from './AvailabilitySparkline';
export { ErrorBudgetBar } from './ErrorBudgetBar';
export { isObservedEntity } from './observed';
