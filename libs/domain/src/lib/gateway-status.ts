/** The statuses a gateway is set to by what is seen of it; `unknown` is only where it starts. */
export type ObservedGatewayStatus = 'online' | 'degraded' | 'offline';

const REPLACES: Readonly<Record<ObservedGatewayStatus, readonly string[]>> = {
  online: ['online', 'degraded', 'offline', 'unknown'],
  // Degraded (a polled gateway failing now and then) never hides offline.
  degraded: ['online', 'degraded', 'unknown'],
  offline: ['online', 'degraded', 'offline', 'unknown'],
};

/** The current statuses a gateway may leave for `next`; any other current status stays. */
export function gatewayStatusesReplacedBy(next: ObservedGatewayStatus): readonly string[] {
  return REPLACES[next];
}
