import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { EntityScorecardResult } from '@prodready/plugin-readiness-common';
import { CheckResultItem } from './CheckResultItem';

const result: EntityScorecardResult = {
  checkId: 'pdb-configured',
  title: 'A PodDisruptionBudget that leaves room to drain',
  area: 'load-balancing',
  level: 'silver',
  severity: 'error',
  status: 'fail',
  message: 'No PodDisruptionBudget selects the pods of `podinfo`.',
  details: 'deployment.pdb is null; deployment.pdb.matchesWorkload is missing.',
  remediation: 'Add a PodDisruptionBudget.',
  updatedAt: '2026-11-26T11:50:00.000Z',
};

describe('CheckResultItem', () => {
  it('shows why in words, with the facts as details', async () => {
    await renderInTestApp(
      <ul>
        <CheckResultItem result={result} />
      </ul>,
    );
    expect(
      screen.getByText('No PodDisruptionBudget selects the pods of `podinfo`.'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        'Facts of A PodDisruptionBudget that leaves room to drain',
      ),
    ).toHaveTextContent(
      'deployment.pdb is null; deployment.pdb.matchesWorkload is missing.',
    );
  });

  it('leaves the details out of cards and of results without them', async () => {
    const { unmount } = await renderInTestApp(
      <ul>
        <CheckResultItem result={result} compact />
      </ul>,
    );
    expect(screen.queryByLabelText(/^Facts of/)).not.toBeInTheDocument();
    unmount();
    const { details: _, ...withoutDetails } = result;
    await renderInTestApp(
      <ul>
        <CheckResultItem result={withoutDetails} />
      </ul>,
    );
    expect(screen.queryByLabelText(/^Facts of/)).not.toBeInTheDocument();
  });
});
