export * from './types';
export {
  validateInitiativeDefinition,
  type ValidateInitiativeOptions,
  type InitiativeValidationResult,
} from './validateInitiativeDefinition';
export * from './dates';
