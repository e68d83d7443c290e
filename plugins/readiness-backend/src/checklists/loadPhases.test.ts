import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PHASE_4_DEPLOYMENT_AND_SCALING } from '@prodready/plugin-readiness-common';
import {
  PhaseDefinitionError,
  loadPhases,
  readChecklistSettings,
} from './loadPhases';

const PHASE_3 = {
  id: 'phase-3',
  title: 'DevOps & Infrastructure',
  order: 3,
  applicability: { kinds: ['Component'], lifecycles: ['production'] },
  checklists: [
    {
      id: 'ci-cd',
      title: 'CI/CD',
      items: [
        { id: 'pipeline', text: 'CI/CD pipeline in place', kind: 'manual' },
        {
          id: 'autoscaling',
          text: 'Auto-scaling configured',
          kind: 'automatic',
          checks: ['hpa-configured'],
        },
      ],
    },
  ],
};

const KNOWN_CHECKS = ['hpa-configured'];

function load(config: object, workingDirectory?: string) {
  const logger = mockServices.logger.mock();
  const phases = loadPhases({
    config: new ConfigReader({ readiness: config }),
    logger,
    knownCheckIds: [
      ...KNOWN_CHECKS,
      ...PHASE_4_DEPLOYMENT_AND_SCALING.checklists.flatMap(c =>
        c.items.flatMap(i => i.checks ?? []),
      ),
    ],
    workingDirectory,
  });
  return { phases, logger };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof PhaseDefinitionError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected a PhaseDefinitionError');
}

describe('loadPhases', () => {
  const dir = createMockDirectory();

  it('has the built-in Phase 4 by default', () => {
    expect(load({}).phases).toEqual([PHASE_4_DEPLOYMENT_AND_SCALING]);
  });

  it('adds phases from app-config and sorts them by order', () => {
    expect(load({ phases: [PHASE_3] }).phases.map(p => p.id)).toEqual([
      'phase-3',
      'phase-4',
    ]);
  });

  it('adds phases from files, in any of the three shapes', () => {
    dir.setContent({
      'list.yaml': `- id: phase-5\n  title: Five\n  order: 5\n  checklists:\n    - id: a\n      title: A\n      items:\n        - { id: x, text: X, kind: manual }\n`,
      'object.yaml': `phases:\n  - id: phase-6\n    title: Six\n    order: 6\n    checklists:\n      - id: a\n        title: A\n        items:\n          - { id: x, text: X, kind: manual }\n`,
      'single.yaml': `id: phase-3\ntitle: Three\norder: 3\nchecklists:\n  - id: a\n    title: A\n    items:\n      - { id: x, text: X, kind: manual }\n`,
    });
    const { phases } = load(
      { phaseFiles: ['list.yaml', 'object.yaml', 'single.yaml'] },
      dir.path,
    );
    expect(phases.map(p => [p.id, p.title])).toEqual([
      ['phase-3', 'Three'],
      ['phase-4', 'Deployment & Scaling'],
      ['phase-5', 'Five'],
      ['phase-6', 'Six'],
    ]);
  });

  it('lets app-config replace a phase of a file, and files the built-in one', () => {
    dir.setContent({
      'phase4.yaml': `id: phase-4\ntitle: Our deployment\norder: 4\nchecklists:\n  - id: a\n    title: A\n    items:\n      - { id: x, text: X, kind: manual }\n`,
    });
    const { phases } = load(
      {
        phaseFiles: ['phase4.yaml'],
        phases: [{ ...PHASE_3, title: 'From config' }],
      },
      dir.path,
    );
    expect(phases.map(p => [p.id, p.title])).toEqual([
      ['phase-3', 'From config'],
      ['phase-4', 'Our deployment'],
    ]);
  });

  it('keeps the built-in phase when its checks are disabled, with a warning', () => {
    const logger = mockServices.logger.mock();
    const phases = loadPhases({
      config: new ConfigReader({}),
      logger,
      knownCheckIds: KNOWN_CHECKS,
    });
    expect(phases).toEqual([PHASE_4_DEPLOYMENT_AND_SCALING]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "Items of phase 'phase-4' are bound to checks that are not in force (probes-configured, pdb-configured,",
      ),
    );
  });

  it('leaves out disabled phases and warns about unknown ones', () => {
    const { phases, logger } = load({
      phases: [PHASE_3],
      disabledPhases: ['phase-4', 'phase-7'],
    });
    expect(phases.map(p => p.id)).toEqual(['phase-3']);
    expect(logger.warn).toHaveBeenCalledWith(
      "readiness.disabledPhases names 'phase-7', which is not a known phase",
    );
  });

  it('reports every problem of every source at once, naming phase, field and file', () => {
    dir.setContent({
      'broken.yaml': 'id: [unclosed',
      'empty.yaml': 'hello: world',
    });
    const problems = problemsOf(() =>
      load(
        {
          phaseFiles: ['broken.yaml', 'empty.yaml', 'missing.yaml'],
          phases: [
            {
              ...PHASE_3,
              checklists: [
                {
                  id: 'ci-cd',
                  title: 'CI/CD',
                  items: [
                    {
                      id: 'autoscaling',
                      text: 'Auto-scaling',
                      kind: 'automatic',
                      checks: ['no-such-check'],
                    },
                  ],
                },
              ],
            },
            { ...PHASE_3, id: 'phase-3' },
          ],
        },
        dir.path,
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^readiness phase file 'broken.yaml' is not valid YAML/,
      ),
      "readiness phase file 'empty.yaml' holds no phases; expected a phase, a list of phases, or an object with a 'phases' list",
      expect.stringMatching(
        /^readiness phase file 'missing.yaml' could not be read/,
      ),
      expect.stringMatching(
        /check 'no-such-check' does not exist \(in readiness.phases\)$/,
      ),
      "phase 'phase-3': id is used by another phase of the same source (in readiness.phases)",
    ]);
  });

  it('rejects readiness.phases that is not a list', () => {
    expect(problemsOf(() => load({ phases: { id: 'x' } }))).toEqual([
      'readiness.phases is not a list of phases',
    ]);
  });
});

describe('readChecklistSettings', () => {
  it('defaults waivers to 90 days and "soon" to 30 days', () => {
    expect(readChecklistSettings(new ConfigReader({}))).toEqual({
      waiverMaxAgeMs: 90 * 86_400_000,
      expiringSoonMs: 30 * 86_400_000,
    });
  });

  it('reads the waiver validity, and rejects an invalid one', () => {
    const config = (value: string) =>
      new ConfigReader({
        readiness: { checklists: { waiverExpiresAfter: value } },
      });
    expect(readChecklistSettings(config('12w')).waiverMaxAgeMs).toBe(
      84 * 86_400_000,
    );
    expect(() => readChecklistSettings(config('a while'))).toThrow(
      "readiness.checklists.waiverExpiresAfter: 'a while'",
    );
  });
});
