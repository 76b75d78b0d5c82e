// Run: node -r ./tools/register.js --test tools/simulators/*.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeBlock, planReads } from '@gridwatch/domain';
import { LoadProfile } from './load-profile';
import { ModbusRegisters, UnknownUnit, modbusMeterOf } from './modbus-registers';
import { SimState } from './sim-state';

const profile = new LoadProfile({ seed: 'test', timeZone: 'Europe/London' });
const state = () => new SimState(join(mkdtempSync(join(tmpdir(), 'modbus-sim-')), 'state.json'));
const noon = Date.parse('2026-01-14T12:00:00Z');

const meters = [
  { id: 'm-sdm', kind: 'main', modbusUnitId: 1, registerMap: 'eastron_sdm630' },
  { id: 'm-iem', kind: 'air_conditioning', modbusUnitId: 3, registerMap: 'schneider_iem3255' },
  { id: 'm-em24', kind: 'ups', modbusUnitId: 4, registerMap: 'carlo_gavazzi_em24' },
].map(modbusMeterOf);

/** What the poller would decode from the simulated registers, by parameter. */
function polled(registers: ModbusRegisters, unitId: number, ms: number): Record<string, number> {
  const meter = meters.find((candidate) => candidate.unitId === unitId);
  assert.ok(meter);
  const values: Record<string, number> = {};
  for (const block of planReads(meter.map.registers, meter.map.maxGap)) {
    const words = registers.read(unitId, block.functionCode, block.address, block.count, ms);
    for (const { register, value } of decodeBlock(block, words)) values[register.parameter] = value;
  }
  return values;
}

describe('ModbusRegisters', () => {
  it('serves every built-in map with the load profile values, in each register unit', () => {
    const registers = new ModbusRegisters(meters, profile, state());
    const sdm = polled(registers, 1, noon);
    assert.ok(sdm['voltage_v'] > 220 && sdm['voltage_v'] < 240, `voltage ${sdm['voltage_v']}`);
    assert.ok(sdm['power_w'] > 1000, `power ${sdm['power_w']}`);
    assert.ok(sdm['energy_kwh'] > 1000);
    const iem = polled(registers, 3, noon);
    assert.ok(iem['power_w'] > 0 && iem['power_w'] < 50, 'iEM3x55 power is in kW');
    const em24 = polled(registers, 4, noon);
    assert.ok(Math.abs(em24['frequency_hz'] - 50) < 0.11, `frequency ${em24['frequency_hz']}`);
    assert.ok(em24['power_factor'] > 0.85 && em24['power_factor'] <= 1);
  });

  it('counts energy up between reads', () => {
    const registers = new ModbusRegisters(meters, profile, state());
    const first = polled(registers, 1, noon)['energy_kwh'];
    const later = polled(registers, 1, noon + 3_600_000)['energy_kwh'];
    assert.ok(later > first, `${later} > ${first}`);
  });

  it('refuses a unit id without a meter with exception 11', () => {
    const registers = new ModbusRegisters(meters, profile, state());
    assert.throws(
      () => registers.read(9, 4, 0, 2, noon),
      (error: unknown) => error instanceof UnknownUnit && error.modbusErrorCode === 11,
    );
  });
});
