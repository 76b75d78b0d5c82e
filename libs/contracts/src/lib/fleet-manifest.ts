/**
 * What simulators and system tests need to act as a fleet's gateways: written by
 * `cli.js seed-demo` (the demo fleet) and by the simulators' fleet provisioner.
 * Holds device secrets: keep the file private.
 */
export interface ManifestMeter {
  id: string;
  name: string;
  kind: string;
  modbusUnitId: number | null;
  registerMap: unknown;
}

export interface ManifestGateway {
  serialNumber: string;
  protocol: string;
  host: string | null;
  port: number | null;
  secret: string;
  /** IANA zone of the gateway's site, for realistic local load curves. */
  timezone?: string;
  meters: ManifestMeter[];
}

export interface FleetManifest {
  organizationId: string;
  gateways: ManifestGateway[];
}
