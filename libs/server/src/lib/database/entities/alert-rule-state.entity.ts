import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { AlertRuleEntity } from './alert-rule.entity';
import { MeterEntity } from './meter.entity';

/**
 * What a rule remembers of one meter between jobs: when the current run of breaching readings
 * began (sustained duration), the newest reading judged (rate of change, no_data).
 */
@Entity({ name: 'alert_rule_states' })
export class AlertRuleStateEntity {
  @PrimaryColumn({ name: 'rule_id', type: 'uuid' })
  ruleId!: string;

  @PrimaryColumn({ name: 'meter_id', type: 'uuid' })
  meterId!: string;

  @Column({ name: 'breach_since', type: 'timestamptz', nullable: true })
  breachSince!: Date | null;

  @Column({ name: 'last_ts', type: 'timestamptz', nullable: true })
  lastTs!: Date | null;

  @Column({ name: 'last_value', type: 'double precision', nullable: true })
  lastValue!: number | null;

  @ManyToOne(() => AlertRuleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id', foreignKeyConstraintName: 'alert_rule_states_rule_id_fkey' })
  rule?: AlertRuleEntity;

  @ManyToOne(() => MeterEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meter_id', foreignKeyConstraintName: 'alert_rule_states_meter_id_fkey' })
  meter?: MeterEntity;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
