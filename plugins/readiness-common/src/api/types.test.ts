import {
  OverviewQuery,
  buildOverviewQueryString,
  parseOverviewQueryString,
} from './types';

describe('buildOverviewQueryString', () => {
  it('is empty for no query', () => {
    expect(buildOverviewQueryString({})).toBe('');
  });

  it('repeats list parameters, in a stable order, and encodes values', () => {
    expect(
      buildOverviewQueryString({
        cursor: 'eyJ+/=',
        limit: 50,
        order: 'desc',
        orderBy: 'score',
        q: '  pay & go ',
        type: ['service'],
        kind: ['Component'],
        level: ['gold', 'none'],
        tier: ['tier-1'],
        lifecycle: ['production'],
        system: ['system:default/billing'],
        owner: ['group:default/team-a', 'team b'],
      }),
    ).toBe(
      'owner=group%3Adefault%2Fteam-a&owner=team+b&system=system%3Adefault%2Fbilling' +
        '&lifecycle=production&tier=tier-1&level=gold&level=none&kind=Component' +
        '&type=service&q=pay+%26+go&orderBy=score&order=desc&limit=50&cursor=eyJ%2B%2F%3D',
    );
  });

  it('keeps the initiative filter after the text search', () => {
    expect(
      buildOverviewQueryString({
        orderBy: 'score',
        initiative: 'tier-1-silver',
        q: 'pay',
        owner: ['team-a'],
      }),
    ).toBe('owner=team-a&q=pay&initiative=tier-1-silver&orderBy=score');
    expect(buildOverviewQueryString({ initiative: '' })).toBe('');
  });

  it('leaves out empty values and lists', () => {
    expect(
      buildOverviewQueryString({
        owner: [],
        level: ['', 'gold'],
        q: '   ',
        cursor: '',
      }),
    ).toBe('level=gold');
  });
});

describe('parseOverviewQueryString', () => {
  it('reads back what buildOverviewQueryString wrote', () => {
    const query: OverviewQuery = {
      owner: ['group:default/team-a', 'none'],
      system: ['billing'],
      lifecycle: ['production'],
      tier: ['tier-2'],
      level: ['silver'],
      kind: ['Component'],
      type: ['service'],
      q: 'pay',
      initiative: 'backups-rpo',
      orderBy: 'level',
      order: 'asc',
      limit: 100,
      cursor: 'abc',
    };

    expect(parseOverviewQueryString(buildOverviewQueryString(query))).toEqual(
      query,
    );
    expect(
      parseOverviewQueryString(
        new URLSearchParams(`?${buildOverviewQueryString(query)}`),
      ),
    ).toEqual(query);
  });

  it('accepts a leading question mark', () => {
    expect(parseOverviewQueryString('?owner=a&owner=b')).toEqual({
      owner: ['a', 'b'],
    });
  });

  it('leaves out unknown parameters and invalid values', () => {
    expect(
      parseOverviewQueryString(
        'orderBy=name&order=up&limit=0&cursor=&q=%20&owner=&initiative=&foo=bar',
      ),
    ).toEqual({});
    expect(parseOverviewQueryString('limit=501')).toEqual({});
    expect(parseOverviewQueryString('limit=2.5')).toEqual({});
    expect(parseOverviewQueryString('limit=500')).toEqual({ limit: 500 });
  });
});
