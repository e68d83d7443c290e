import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { readinessApiRef } from '../../api';
import { mockReadinessApi } from '../../testUtils/fixtures';
import { WaiverRequestsPanel } from './WaiverRequestsPanel';

// Its own file: usePermission caches the answer to the approve permission
// for the whole test file.
describe('WaiverRequestsPanel for those who may not approve', () => {
  it('is hidden and asks for nothing', async () => {
    const getWaiverRequests = jest.fn(async () => ({ items: [] }));
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [readinessApiRef, mockReadinessApi({ getWaiverRequests })],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <WaiverRequestsPanel />
      </TestApiProvider>,
    );
    expect(screen.queryByText('Waiver requests')).toBeNull();
    expect(getWaiverRequests).not.toHaveBeenCalled();
  });
});
