export { ReadinessPage } from './ReadinessPage';
export { ReadinessRouter } from './ReadinessRouter';
