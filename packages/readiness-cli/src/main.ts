import { main } from './index';

main();
