import { decodeRegisters, registerCount } from './register-decoding';
import {
  MAX_REGISTERS_PER_READ,
  type ReadFunctionCode,
  type RegisterDefinition,
} from './register-map';

/** One read request: `count` registers from `address`, covering `registers`. */
export interface ReadBlock {
  functionCode: ReadFunctionCode;
  address: number;
  count: number;
  registers: RegisterDefinition[];
}

/** A register's scaled value, as the meter reported it. */
export interface DecodedRegister {
  register: RegisterDefinition;
  value: number;
}

/**
 * Coalesces registers into as few reads as possible: per function code, in address order, a
 * register joins the read before it when at most `maxGap` unmapped registers lie between them
 * and the read stays within Modbus's 125 registers.
 */
export function planReads(
  registers: readonly RegisterDefinition[],
  maxGap = 0,
  maxCount = MAX_REGISTERS_PER_READ,
): ReadBlock[] {
  const sorted = [...registers].sort(
    (a, b) => a.functionCode - b.functionCode || a.address - b.address,
  );
  const blocks: ReadBlock[] = [];
  for (const register of sorted) {
    const end = register.address + registerCount(register.type);
    const last = blocks.at(-1);
    const lastEnd = last ? last.address + last.count : 0;
    const joins =
      last !== undefined &&
      last.functionCode === register.functionCode &&
      register.address - lastEnd <= maxGap &&
      Math.max(lastEnd, end) - last.address <= maxCount;
    if (joins) {
      last.count = Math.max(lastEnd, end) - last.address;
      last.registers.push(register);
    } else {
      blocks.push({
        functionCode: register.functionCode,
        address: register.address,
        count: end - register.address,
        registers: [register],
      });
    }
  }
  return blocks;
}

/** Decodes and scales each register of a block from the words one read returned. */
export function decodeBlock(block: ReadBlock, words: readonly number[]): DecodedRegister[] {
  if (words.length < block.count) {
    throw new RangeError(`read of ${block.count} registers returned ${words.length}`);
  }
  return block.registers.map((register) => {
    const offset = register.address - block.address;
    const raw = decodeRegisters(
      words.slice(offset, offset + registerCount(register.type)),
      register.type,
      register.wordOrder,
      register.byteOrder,
    );
    return { register, value: scaled(raw, register.scale) };
  });
}

/** Divides by 10 rather than multiplying by 0.1, so 2305 x 0.1 is exactly 230.5. */
function scaled(raw: number, scale: number): number {
  const inverse = 1 / scale;
  return Number.isInteger(inverse) ? raw / inverse : raw * scale;
}
