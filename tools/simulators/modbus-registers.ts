import type { Parameter } from '@gridwatch/contracts';
import {
  encodeRegisters,
  normaliseUnit,
  registerCount,
  resolveRegisterMap,
  type RegisterDefinition,
  type RegisterMap,
} from '@gridwatch/domain';
import type { LoadProfile, ProfileMeter } from './load-profile';
import type { SimState } from './sim-state';

/** A meter behind a simulated Modbus gateway: its unit id and register map. */
export interface ModbusMeter extends ProfileMeter {
  unitId: number;
  map: RegisterMap;
}

/** Resolves a manifest meter's register map; throws saying which meter and why when it cannot. */
export function modbusMeterOf(meter: {
  id: string;
  kind: string;
  modbusUnitId: number | null;
  registerMap: unknown;
}): ModbusMeter {
  const resolved = resolveRegisterMap(meter.registerMap);
  if (!resolved.ok) {
    const reasons = resolved.errors.map((error) => `${error.path} ${error.message}`.trim());
    throw new Error(`meter ${meter.id}: register map unusable: ${reasons.join('; ')}`);
  }
  return { id: meter.id, kind: meter.kind, unitId: meter.modbusUnitId ?? 1, map: resolved.map };
}

/** The device's answer when a unit id has no meter: "gateway target device failed to respond". */
export class UnknownUnit extends Error {
  readonly modbusErrorCode = 0x0b;
}

/**
 * The register image of simulated meters: what each meter's map holds at a given instant, from
 * the load profile (power, voltage, current...) and the meter's counters, which grow between
 * reads and are kept in the shared simulator state across restarts.
 */
export class ModbusRegisters {
  private readonly meters = new Map<number, ModbusMeter>();
  private readonly images = new Map<number, { atMs: number; words: Map<string, number> }>();

  constructor(
    meters: readonly ModbusMeter[],
    private readonly profile: LoadProfile,
    private readonly state: SimState,
  ) {
    for (const meter of meters) {
      if (this.meters.has(meter.unitId)) throw new Error(`unit id ${meter.unitId} is used twice`);
      this.meters.set(meter.unitId, meter);
    }
  }

  /** `count` registers from `address` of a unit's holding (3) or input (4) registers at `ms`. */
  read(unitId: number, functionCode: 3 | 4, address: number, count: number, ms: number): number[] {
    const words = this.image(unitId, ms);
    return Array.from(
      { length: count },
      (_, offset) => words.get(`${functionCode}:${address + offset}`) ?? 0,
    );
  }

  /** Every meter's values at `ms` by parameter, in its registers' units (for logs and --once). */
  valuesOf(unitId: number, ms: number): Partial<Record<Parameter, number>> {
    const meter = this.meterOf(unitId);
    const canonical = this.canonicalValues(meter, ms);
    return Object.fromEntries(
      meter.map.registers.map((register) => [
        register.parameter,
        inRegisterUnit(register, canonical[register.parameter] ?? 0),
      ]),
    );
  }

  /** Computed at most once a second per unit: a poll's several reads see one consistent meter. */
  private image(unitId: number, ms: number): Map<string, number> {
    const second = Math.floor(ms / 1000) * 1000;
    const cached = this.images.get(unitId);
    if (cached?.atMs === second) return cached.words;
    const meter = this.meterOf(unitId);
    const canonical = this.canonicalValues(meter, second);
    const words = new Map<string, number>();
    for (const register of meter.map.registers) {
      const raw = inRegisterUnit(register, canonical[register.parameter] ?? 0) / register.scale;
      const encoded = encodeRegisters(raw, register.type, register.wordOrder, register.byteOrder);
      for (let offset = 0; offset < registerCount(register.type); offset += 1) {
        words.set(`${register.functionCode}:${register.address + offset}`, encoded[offset]);
      }
    }
    this.images.set(unitId, { atMs: second, words });
    return words;
  }

  private canonicalValues(meter: ModbusMeter, ms: number): Partial<Record<Parameter, number>> {
    const counters = this.profile.advance(
      meter,
      this.state.get(meter.id) ?? this.profile.initialCounters(meter, ms),
      ms,
    );
    this.state.set(meter.id, counters);
    const readings = this.profile.readingsOf(meter, this.profile.sample(meter, ms), counters);
    return Object.fromEntries(readings.map((reading) => [reading.parameter, reading.value]));
  }

  private meterOf(unitId: number): ModbusMeter {
    const meter = this.meters.get(unitId);
    if (!meter) throw new UnknownUnit(`no meter answers to unit id ${unitId}`);
    return meter;
  }
}

/** A canonical value (W, kWh, V...) in the register's unit (kW for the iEM3x55's power, say). */
function inRegisterUnit(register: RegisterDefinition, canonical: number): number {
  const zero = normaliseUnit(register.parameter, 0, register.unit);
  const one = normaliseUnit(register.parameter, 1, register.unit);
  if (!zero.ok || !one.ok || one.value === zero.value) return canonical;
  return (canonical - zero.value) / (one.value - zero.value);
}
