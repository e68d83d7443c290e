import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Fetch a service's repository, fix its failing readiness checks, and open a pull request with the fixes",
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'fetch:plain',
          name: 'Fetch the repository',
          input: { url: 'https://github.com/acme/fraud-detection/tree/main' },
        },
        {
          id: 'remediate',
          action: 'readiness:remediation:generate',
          name: 'Fix the failing readiness checks',
          input: { entityRef: 'component:default/fraud-detection' },
        },
        {
          id: 'pull-request',
          action: 'publish:github:pull-request',
          name: 'Open a pull request',
          input: {
            repoUrl: 'github.com?owner=acme&repo=fraud-detection',
            branchName: 'readiness/fix',
            title: '${{ steps.remediate.output.title }}',
            description: '${{ steps.remediate.output.description }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Offline: fix the checks of a service whose repository is a local repository of the portal, and commit the fixes onto a new branch of it',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'fetch:plain',
          name: 'Fetch the repository',
          input: {
            url: 'http://localhost:7007/api/scaffolder/readiness/local-repos/fraud-detection/',
          },
        },
        {
          id: 'remediate',
          action: 'readiness:remediation:generate',
          name: 'Fix the failing readiness checks',
          input: {
            entityRef: 'component:default/fraud-detection',
            deploymentPath: 'deploy',
          },
        },
        {
          id: 'publish',
          action: 'readiness:publish:local',
          name: 'Commit the fixes onto a new branch',
          input: {
            repoName: '${{ steps.remediate.output.localRepository }}',
            mode: 'branch',
            expectedBaseCommit: '${{ steps.remediate.output.baseCommit }}',
            paths: '${{ steps.remediate.output.changedFiles }}',
            gitCommitMessage: '${{ steps.remediate.output.title }}',
            description: '${{ steps.remediate.output.description }}',
          },
        },
      ],
    }),
  },
];
