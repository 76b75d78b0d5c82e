import type { AlertView } from '@gridwatch/contracts';

/** The row every alert view is read from: the alert and its meter's name. */
export const ALERT_VIEW_SQL = `
  SELECT a.*, m.name AS meter_name
  FROM alerts a JOIN meters m ON m.id = a.meter_id`;

export interface AlertRow {
  id: string;
  organization_id: string;
  rule_id: string | null;
  meter_id: string;
  meter_name: string;
  site_id: string;
  rule_name: string;
  condition: AlertView['condition'];
  parameter: AlertView['parameter'];
  threshold: number | null;
  severity: AlertView['severity'];
  status: AlertView['status'];
  title: string;
  message: string;
  first_value: number | null;
  last_value: number | null;
  occurrences: number;
  escalation_level: number;
  triggered_at: Date;
  last_triggered_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledge_note: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: AlertView['resolution'];
  resolve_note: string | null;
}

export function toAlertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    meterId: row.meter_id,
    meterName: row.meter_name,
    siteId: row.site_id,
    condition: row.condition,
    parameter: row.parameter,
    severity: row.severity,
    status: row.status,
    title: row.title,
    message: row.message,
    threshold: row.threshold,
    firstValue: row.first_value,
    lastValue: row.last_value,
    occurrences: row.occurrences,
    escalationLevel: row.escalation_level,
    triggeredAt: row.triggered_at.toISOString(),
    lastTriggeredAt: row.last_triggered_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: row.acknowledged_by,
    acknowledgeNote: row.acknowledge_note,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
    resolveNote: row.resolve_note,
  };
}
