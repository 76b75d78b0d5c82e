import { scopesOf, type Role } from '@gridwatch/contracts';
import { visibleAreas } from './nav-areas';

const labelsFor = (role: Role) => visibleAreas(new Set(scopesOf(role))).map((area) => area.label);

describe('visibleAreas', () => {
  it('shows Admin to owners only', () => {
    expect(labelsFor('owner')).toContain('Admin');
    for (const role of ['operator', 'viewer', 'support'] as const) {
      expect(labelsFor(role)).not.toContain('Admin');
    }
  });

  it('shows every device area to every role (all may read devices)', () => {
    expect(labelsFor('support').slice(0, 4)).toEqual(['Dashboard', 'Sites', 'Meters', 'Gateways']);
  });
});
