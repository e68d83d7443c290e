export type {
  WaiverApproval,
  WaiverApprovalRules,
  WaiverNotifier,
  WaiverServiceOptions,
} from './WaiverService';
export {
  WaiverService,
  readWaiverSettings,
  waiverRequestPath,
} from './WaiverService';
export type { WaiverStore } from './WaiverStore';
export { DatabaseWaiverStore } from './DatabaseWaiverStore';
