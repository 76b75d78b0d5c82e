import { newRule, ruleForm, ruleInputOf } from './rule-form';
import { durationInWords, ruleInWords } from './rule-words';

describe('ruleInWords', () => {
  it('says a threshold rule with its target, duration, schedule, channels and escalation', () => {
    const rule = {
      ...newRule(),
      name: 'Boiler overload',
      severity: 'critical' as const,
      scope: { meterId: 'm-1' },
      threshold: 9000,
      durationSeconds: 300,
      schedule: 'in_hours' as const,
      channels: ['in_app' as const, 'email' as const],
      recipients: { userIds: [], emails: ['ops@example.com'], webhookUrl: null },
      repeatMinutes: 30,
      escalation: { afterMinutes: 15, maxLevel: 3 },
    };
    expect(ruleInWords(rule, { meter: 'Boiler' })).toBe(
      'Critical alert when Power is above 9000 W for 5 min on meter Boiler, in opening hours only. ' +
        'Notify in the app and by e-mail (also to ops@example.com); again every 30 min while open; ' +
        'escalate after 15 min, up to level 3. Resolves itself when the condition clears.',
    );
  });

  it('says the conditions without a threshold in their own words', () => {
    expect(
      ruleInWords(
        { ...newRule(), condition: 'device_offline', parameter: null, durationSeconds: 600 },
        { site: 'London' },
      ),
    ).toBe(
      'Warning alert when the meter is offline for 10 min on every meter. Notify in the app. ' +
        'Resolves itself when the condition clears.',
    );
    const silence = ruleInWords({
      ...newRule(),
      condition: 'no_data',
      parameter: 'energy_kwh',
      durationSeconds: 3600,
      scope: { siteId: 's-1' },
      channels: [],
      autoResolve: false,
      enabled: false,
    });
    expect(silence).toContain('when no Energy reading arrives for 1 h on every meter of site s-1.');
    expect(silence).toContain('Notify no one. Resolved by hand. Disabled');
  });

  it('says durations as a person would', () => {
    expect(durationInWords(45)).toBe('45 s');
    expect(durationInWords(5400)).toBe('1 h 30 min');
    expect(durationInWords(2 * 86_400)).toBe('2 days');
  });
});

describe('ruleInputOf', () => {
  it('sends only what the condition uses', () => {
    const form = ruleForm({
      ...newRule(),
      threshold: 50,
      escalation: { afterMinutes: 5, maxLevel: 2 },
    });
    form.patchValue({
      name: ' Offline ',
      condition: 'device_offline',
      escalate: false,
      scope: { siteId: 's-1', meterId: '' },
      recipients: { emails: 'a@example.com; b@example.com', webhookUrl: '  ' },
    });
    expect(ruleInputOf(form.getRawValue(), ['u-1'])).toMatchObject({
      name: 'Offline',
      scope: { siteId: 's-1' },
      parameter: null,
      threshold: null,
      escalation: null,
      recipients: {
        userIds: ['u-1'],
        emails: ['a@example.com', 'b@example.com'],
        webhookUrl: null,
      },
    });
  });

  it('keeps the meter over its site, the threshold and an escalation asked for', () => {
    const form = ruleForm();
    form.patchValue({
      scope: { siteId: 's-1', meterId: 'm-1' },
      threshold: 12.5,
      escalate: true,
      escalation: { afterMinutes: 10, maxLevel: 2 },
    });
    expect(ruleInputOf(form.getRawValue())).toMatchObject({
      scope: { meterId: 'm-1' },
      parameter: 'power_w',
      threshold: 12.5,
      escalation: { afterMinutes: 10, maxLevel: 2 },
    });
  });
});
