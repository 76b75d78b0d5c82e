import type { AlertView } from '@gridwatch/contracts';
import { aMeter } from '../../testing/fixtures';
import { activeBySeverity, formatPower, sitePower, withPower } from './dashboard-figures';

describe('dashboard figures', () => {
  it('keeps the newer power reading of each meter and ignores other parameters', () => {
    const shown = new Map([['m-1', { value: 100, ts: '2026-03-01T12:00:10Z' }]]);
    const next = withPower(shown, [
      { meterId: 'm-1', parameter: 'power_w', value: 50, ts: '2026-03-01T12:00:00Z' },
      { meterId: 'm-2', parameter: 'power_w', value: 70, ts: '2026-03-01T12:00:00Z' },
      { meterId: 'm-2', parameter: 'voltage_v', value: 230, ts: '2026-03-01T12:00:20Z' },
    ]);
    expect([...next]).toEqual([
      ['m-1', { value: 100, ts: '2026-03-01T12:00:10Z' }],
      ['m-2', { value: 70, ts: '2026-03-01T12:00:00Z' }],
    ]);
  });

  it("sums a site's meters that report power; unknown when none does", () => {
    const meters = [
      aMeter({ id: 'm-1', siteId: 's-1' }),
      aMeter({ id: 'm-2', siteId: 's-1', status: 'decommissioned' }),
      aMeter({ id: 'm-3', siteId: 's-2' }),
    ];
    const power = new Map([
      ['m-1', { value: 1500, ts: '' }],
      ['m-2', { value: 999, ts: '' }],
    ]);
    expect(sitePower('s-1', meters, power)).toBe(1500);
    expect(sitePower('s-2', meters, power)).toBeNull();
  });

  it('says power in W, kW or MW', () => {
    expect(formatPower(null)).toBe('—');
    expect(formatPower(850.4)).toBe('850 W');
    expect(formatPower(12_345)).toBe('12.35 kW');
    expect(formatPower(1_200_000)).toBe('1.2 MW');
  });

  it('counts the active alerts of every severity, worst first', () => {
    const alerts = [
      { status: 'active', severity: 'critical' },
      { status: 'acknowledged', severity: 'critical' },
      { status: 'active', severity: 'info' },
    ] as AlertView[];
    expect(activeBySeverity(alerts)).toEqual([
      { severity: 'critical', count: 1 },
      { severity: 'error', count: 0 },
      { severity: 'warning', count: 0 },
      { severity: 'info', count: 1 },
    ]);
  });
});
