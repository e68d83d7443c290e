import path from 'path';
import fs from 'fs';
import { parse as parseYaml } from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  BUILT_IN_PHASES,
  DEFAULT_LEVELS,
} from '@prodready/plugin-readiness-common';
import { BUILT_IN_CHECKS } from '@prodready/plugin-readiness-engine';
import { InitiativeDefinitionError, loadInitiatives } from './loadInitiatives';

const definition = {
  checks: [...BUILT_IN_CHECKS],
  levels: [...DEFAULT_LEVELS],
};

const valid = {
  id: 'tier-1-silver',
  title: 'All tier-1 services Silver',
  owner: 'group:default/platform-team',
  startDate: '2026-11-15',
  deadline: '2027-01-31',
  scope: { tiers: ['tier-1'] },
  goal: { type: 'level', level: 'silver' },
};

function load(readiness: object, workingDirectory?: string) {
  return loadInitiatives({
    config: new ConfigReader({ readiness }),
    definition,
    phases: BUILT_IN_PHASES,
    workingDirectory,
  });
}

function problemsOf(readiness: object, workingDirectory?: string): string[] {
  try {
    load(readiness, workingDirectory);
  } catch (error) {
    if (error instanceof InitiativeDefinitionError) return error.problems;
    throw error;
  }
  throw new Error('expected an InitiativeDefinitionError');
}

describe('loadInitiatives', () => {
  const mockDir = createMockDirectory();

  it('loads none without configuration', () => {
    expect(load({})).toEqual([]);
  });

  it('loads app-config and files (one, a list, or { initiatives })', () => {
    mockDir.setContent({
      'one.yaml':
        'id: one\ntitle: One\nowner: team-a\nstartDate: "2026-12-01"\ndeadline: "2026-12-31"\nscope: { kinds: [Component] }\ngoal: { type: level, level: bronze }\n',
      'list.yaml': `- ${JSON.stringify({ ...valid, id: 'two' })}\n`,
      'wrapped.yaml': `initiatives:\n  - ${JSON.stringify({
        ...valid,
        id: 'three',
      })}\n`,
    });
    const loaded = load(
      {
        initiatives: [valid],
        initiativeFiles: ['one.yaml', 'list.yaml', 'wrapped.yaml'],
      },
      mockDir.path,
    );
    expect(loaded.map(i => i.id)).toEqual([
      'tier-1-silver',
      'one',
      'two',
      'three',
    ]);
    // Normalized: the owner's full ref.
    expect(loaded[1].owner).toBe('group:default/team-a');
  });

  it('reports every problem at once, naming the initiative, the field and the file', () => {
    mockDir.setContent({
      'bad.yaml': 'colour: red\n',
      'broken.yaml': 'id: [',
    });
    const problems = problemsOf(
      {
        initiatives: [
          { ...valid, goal: { type: 'checks', checks: ['no-such-check'] } },
          { ...valid, id: 'late', deadline: '2026-01-01' },
          valid,
          valid,
          { ...valid, id: 'phased', goal: { type: 'checklists', phase: 'x' } },
        ],
        initiativeFiles: ['bad.yaml', 'broken.yaml', 'missing.yaml'],
      },
      mockDir.path,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^readiness initiative file 'bad.yaml' holds no initiatives/,
      ),
      expect.stringMatching(
        /^readiness initiative file 'broken.yaml' is not valid YAML/,
      ),
      expect.stringMatching(
        /^readiness initiative file 'missing.yaml' could not be read/,
      ),
      "initiative 'tier-1-silver': goal.checks 'no-such-check' is not a check in force (in readiness.initiatives)",
      "initiative 'late': deadline '2026-01-01' is before startDate '2026-11-15' (in readiness.initiatives)",
      "initiative 'tier-1-silver': id is already used by another initiative of the same source (in readiness.initiatives)",
      "initiative 'phased': goal.phase 'x' is not a phase in force; expected one of phase-4 (in readiness.initiatives)",
    ]);
  });

  it('validates unknown levels and empty scopes', () => {
    expect(
      problemsOf({
        initiatives: [
          { ...valid, goal: { type: 'level', level: 'platinum' } },
          { ...valid, id: 'empty', scope: {} },
        ],
      }),
    ).toEqual([
      "initiative 'tier-1-silver': goal.level 'platinum' is not a level; expected one of bronze, silver, gold (in readiness.initiatives)",
      expect.stringMatching(/^initiative 'empty': scope is empty/),
    ]);
  });

  it("accepts the local portal's example initiatives", () => {
    const root = path.resolve(__dirname, '../../../..');
    const appConfig = parseYaml(
      fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
    );
    // File paths in app-config are relative to packages/backend.
    const loaded = load(
      {
        initiatives: appConfig.readiness.initiatives,
        initiativeFiles: appConfig.readiness.initiativeFiles,
      },
      path.join(root, 'packages/backend'),
    );
    expect(loaded.map(i => [i.id, i.goal])).toEqual([
      ['tier-1-silver', { type: 'level', level: 'silver' }],
      [
        'backups-meet-rpo',
        {
          type: 'checklists',
          phase: 'phase-4',
          items: ['post-backups-verified'],
        },
      ],
    ]);
  });
});
