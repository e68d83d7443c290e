import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { PHASE_4_DEPLOYMENT_AND_SCALING } from '@prodready/plugin-readiness-common';
import { ReadinessApi, readinessApiRef } from '../../api';
import { ReadinessPage } from './ReadinessPage';

function renderPage(api: ReadinessApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      <ReadinessPage />
    </TestApiProvider>,
  );
}

describe('ReadinessPage', () => {
  it('shows the Phase 4 checklists once the backend answers', async () => {
    await renderPage({ getHealth: async () => ({ status: 'ok' }) });

    expect(
      await screen.findByText('Readiness backend connected'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: /Deployment & Scaling/ }),
    ).toBeInTheDocument();
    for (const checklist of PHASE_4_DEPLOYMENT_AND_SCALING.checklists) {
      const list = screen.getByRole('list', { name: checklist.title });
      expect(within(list).getAllByRole('listitem')).toHaveLength(
        checklist.items.length,
      );
    }
  });

  it('shows progress while the backend is being asked', async () => {
    await renderPage({ getHealth: () => new Promise(() => {}) });

    // core-components' Progress appears after a short delay.
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByText('Readiness backend connected')).toBeNull();
  });

  it('explains in plain words when the backend cannot be reached', async () => {
    await renderPage({
      getHealth: async () => {
        throw new Error('Request failed with 503 Service Unavailable');
      },
    });

    expect(
      await screen.findByText('Error: The readiness backend cannot be reached'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Request failed with 503 Service Unavailable/),
    ).toBeVisible();
    // The programme itself still shows: it does not depend on the backend.
    expect(
      screen.getByRole('list', { name: 'Phase Completion Checklist' }),
    ).toBeInTheDocument();
  });
});
