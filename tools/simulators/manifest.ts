import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FleetManifest } from '@gridwatch/contracts';

export const DEFAULT_MANIFEST_PATH = '.gridwatch/demo.json';

export type { FleetManifest, ManifestGateway, ManifestMeter } from '@gridwatch/contracts';

/** Reads and checks a manifest; throws an Error that says what is wrong with it. */
export function readManifest(path: string): FleetManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read manifest ${path}: ${(error as Error).message}`);
  }
  const manifest = parsed as Partial<FleetManifest> | null;
  if (!manifest || !Array.isArray(manifest.gateways))
    throw new Error(`${path} has no "gateways" array`);
  manifest.gateways.forEach((gateway, index) => {
    const where = `${path}: gateways[${index}]`;
    if (typeof gateway?.serialNumber !== 'string' || typeof gateway.secret !== 'string') {
      throw new Error(`${where} needs a serialNumber and a secret`);
    }
    if (!Array.isArray(gateway.meters)) throw new Error(`${where} has no "meters" array`);
    for (const meter of gateway.meters) {
      if (typeof meter?.id !== 'string' || typeof meter.kind !== 'string') {
        throw new Error(`${where} has a meter without an id or kind`);
      }
    }
  });
  return manifest as FleetManifest;
}

/** Writes a manifest readable by this user only: it holds device secrets. */
export function writeManifest(path: string, manifest: FleetManifest): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(manifest, null, 2), { mode: 0o600 });
}
