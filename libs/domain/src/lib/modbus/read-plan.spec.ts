import { BUILT_IN_REGISTER_MAPS } from './built-in-register-maps';
import { encodeRegisters } from './register-decoding';
import { decodeBlock, planReads } from './read-plan';
import type { RegisterDefinition } from './register-map';

function register(
  parameter: RegisterDefinition['parameter'],
  address: number,
  overrides: Partial<RegisterDefinition> = {},
): RegisterDefinition {
  return {
    parameter,
    functionCode: 4,
    address,
    type: 'float32',
    wordOrder: 'big',
    byteOrder: 'big',
    scale: 1,
    unit: '',
    ...overrides,
  };
}

const span = (blocks: ReturnType<typeof planReads>) =>
  blocks.map((block) => [block.functionCode, block.address, block.count]);

describe('planReads', () => {
  it('coalesces contiguous registers into one read, whatever order they are listed in', () => {
    const blocks = planReads([
      register('power_w', 4),
      register('voltage_v', 0),
      register('current_a', 2),
    ]);
    expect(span(blocks)).toEqual([[4, 0, 6]]);
    expect(blocks[0].registers.map((r) => r.parameter)).toEqual([
      'voltage_v',
      'current_a',
      'power_w',
    ]);
  });

  it('splits at gaps larger than maxGap and at a change of function code', () => {
    const registers = [
      register('voltage_v', 0),
      register('current_a', 6),
      register('power_w', 6, { functionCode: 3 }),
    ];
    expect(span(planReads(registers))).toEqual([
      [3, 6, 2],
      [4, 0, 2],
      [4, 6, 2],
    ]);
    expect(span(planReads(registers, 4))).toEqual([
      [3, 6, 2],
      [4, 0, 8],
    ]);
  });

  it('never asks for more than 125 registers in one read', () => {
    const blocks = planReads([register('voltage_v', 0), register('power_w', 124)], 200);
    expect(span(blocks)).toEqual([
      [4, 0, 2],
      [4, 124, 2],
    ]);
  });

  it('reads each built-in map in few requests', () => {
    const reads = (name: string) => {
      const map = BUILT_IN_REGISTER_MAPS[name];
      return planReads(map.registers, map.maxGap).length;
    };
    expect(reads('eastron_sdm630')).toBe(1);
    expect(reads('carlo_gavazzi_em24')).toBe(1);
    expect(reads('schneider_iem3255')).toBe(5);
  });
});

describe('decodeBlock', () => {
  it('decodes and scales each register from its offset in the block', () => {
    const map = BUILT_IN_REGISTER_MAPS['carlo_gavazzi_em24'];
    const [block] = planReads(map.registers, map.maxGap);
    const words = new Array<number>(block.count).fill(0);
    const put = (address: number, values: number[]) =>
      words.splice(address - block.address, values.length, ...values);
    put(0x24, encodeRegisters(2305, 'int32', 'little'));
    put(0x28, encodeRegisters(123456, 'int32', 'little'));
    put(0x31, encodeRegisters(-950, 'int16'));
    put(0x33, encodeRegisters(500, 'uint16'));
    put(0x34, encodeRegisters(98765, 'int32', 'little'));

    const values = Object.fromEntries(
      decodeBlock(block, words).map(({ register, value }) => [register.parameter, value]),
    );

    expect(values).toEqual({
      voltage_v: 230.5,
      power_w: 12345.6,
      power_factor: -0.95,
      frequency_hz: 50,
      energy_kwh: 9876.5,
    });
  });

  it('refuses a short answer', () => {
    const [block] = planReads([register('power_w', 0)]);
    expect(() => decodeBlock(block, [1])).toThrow(/returned 1/);
  });
});
