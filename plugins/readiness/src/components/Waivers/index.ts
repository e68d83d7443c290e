export { WaiverRequestDialog } from './WaiverRequestDialog';
export { WaiverRequestsPanel } from './WaiverRequestsPanel';
export { waiverRequestText } from './waiverText';
