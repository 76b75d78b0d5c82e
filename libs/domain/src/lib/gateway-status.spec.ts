import { gatewayStatusesReplacedBy } from './gateway-status';

describe('gatewayStatusesReplacedBy', () => {
  it('lets online and offline replace any status', () => {
    expect(gatewayStatusesReplacedBy('online')).toEqual([
      'online',
      'degraded',
      'offline',
      'unknown',
    ]);
    expect(gatewayStatusesReplacedBy('offline')).toEqual([
      'online',
      'degraded',
      'offline',
      'unknown',
    ]);
  });

  it('never lets degraded hide offline', () => {
    expect(gatewayStatusesReplacedBy('degraded')).not.toContain('offline');
  });
});
