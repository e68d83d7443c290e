export { CHECKLIST_ITEM_KINDS } from './types';
export type {
  ChecklistDefinition,
  ChecklistItemDefinition,
  ChecklistItemKind,
  PhaseApplicability,
  PhaseDefinition,
} from './types';
export { PHASE_4_DEPLOYMENT_AND_SCALING, BUILT_IN_PHASES } from './phase4';
export {
  validatePhaseDefinition,
  parsePhaseDefinition,
} from './validatePhaseDefinition';
export type { ValidatePhaseDefinitionOptions } from './validatePhaseDefinition';
