import { ApiProperty } from '@nestjs/swagger';
import type { RealtimeMetricsView } from '@gridwatch/contracts';

export class RealtimeMetricsDto implements RealtimeMetricsView {
  @ApiProperty({ description: 'The API instance that answered (host:pid); each counts its own' })
  instance!: string;

  @ApiProperty({ description: 'Sockets connected to this instance now' })
  connectedClients!: number;

  @ApiProperty({ description: 'Handshakes refused (no, bad or expired token)' })
  connectionsRefused!: number;

  @ApiProperty({ description: 'Subscriptions refused (unknown room, other organization, scope)' })
  subscriptionsRefused!: number;

  @ApiProperty({
    description:
      'Events this instance published, per event type; coalesced readings count once per room and window',
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { 'reading.received': 42, 'device.status_changed': 3 },
  })
  eventsSent!: Record<string, number>;
}
