import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The machines that run the tests are shared and slow: give asynchronous
// queries and tests time, rather than failing on a busy CPU.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);
