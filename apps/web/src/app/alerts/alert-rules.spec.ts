import { AlertEventKind, type AlertTimelineEntry, type AlertView } from '@gridwatch/contracts';
import { acknowledgeable, alertActions, timelineText, valueText } from './alert-rules';

function anAlert(overrides: Partial<AlertView> = {}): AlertView {
  return {
    id: 'a1',
    ruleId: 'r1',
    ruleName: 'UPS mains below 200 V',
    meterId: 'm1',
    meterName: 'UPS',
    siteId: 's1',
    condition: 'below',
    parameter: 'voltage_v',
    severity: 'critical',
    status: 'active',
    title: 'UPS mains below 200 V',
    message: 'voltage 182 below 200',
    threshold: 200,
    firstValue: 190,
    lastValue: 182,
    occurrences: 2,
    escalationLevel: 0,
    triggeredAt: '2026-12-07T06:00:00Z',
    lastTriggeredAt: '2026-12-07T06:01:00Z',
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgeNote: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    resolveNote: null,
    ...overrides,
  };
}

const entry = (kind: AlertEventKind, data: Record<string, unknown>): AlertTimelineEntry => ({
  kind,
  at: '2026-12-07T06:00:00Z',
  userId: null,
  data,
});

describe('alertActions', () => {
  it('follows the lifecycle: active may be acknowledged or resolved, acknowledged only resolved', () => {
    expect(alertActions('active')).toEqual(['acknowledge', 'resolve']);
    expect(alertActions('acknowledged')).toEqual(['resolve']);
    expect(alertActions('resolved')).toEqual([]);
  });
});

describe('acknowledgeable', () => {
  it('takes only the selected alerts that are still active', () => {
    const alerts = [
      anAlert({ id: 'a1' }),
      anAlert({ id: 'a2', status: 'acknowledged' }),
      anAlert({ id: 'a3' }),
      anAlert({ id: 'a4', status: 'resolved' }),
    ];
    expect(acknowledgeable(alerts, new Set(['a1', 'a2', 'a4']))).toEqual(['a1']);
    expect(acknowledgeable(alerts, new Set())).toEqual([]);
  });
});

describe('timelineText', () => {
  it('names the note of an acknowledgement', () => {
    expect(timelineText(entry('acknowledged', { level: 0, note: 'on it' }))).toBe(
      'Acknowledged: “on it”',
    );
    expect(timelineText(entry('triggered', { level: 0, value: 3 }))).toBe('Triggered');
  });

  it('names the level of an escalation', () => {
    expect(timelineText(entry('escalated', { level: 2 }))).toBe('Escalated to level 2');
  });

  it('names the channel, target and error of a delivery', () => {
    expect(
      timelineText(
        entry('notification_failed', { channel: 'webhook', target: 'https://x', error: '500' }),
      ),
    ).toBe('Notification failed (webhook → https://x): 500');
    expect(timelineText(entry('notification_sent', { channel: 'in_app' }))).toBe(
      'Notification sent (in_app)',
    );
  });

  it('names the ticket opened from the alert', () => {
    expect(timelineText(entry('ticket_opened', { ticketId: 'x', number: 'GW-1042' }))).toBe(
      'Ticket opened: GW-1042',
    );
  });
});

describe('valueText', () => {
  it('shows the latest value against the threshold', () => {
    expect(valueText(anAlert())).toBe('182 (threshold 200)');
    expect(valueText(anAlert({ threshold: null, lastValue: null, firstValue: 4 }))).toBe('4');
    expect(valueText(anAlert({ lastValue: null, firstValue: null }))).toBe('—');
  });
});
