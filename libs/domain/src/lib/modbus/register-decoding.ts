/** How a value is laid out in 16-bit Modbus registers. */
export const REGISTER_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];

/**
 * `big`: most significant first. Word order is the order of the registers of a multi-register
 * value (Modbus itself only fixes the bytes inside one register, big-endian); byte order is the
 * order of the two bytes inside each register, for the rare device that swaps them.
 */
export const ENDIANNESSES = ['big', 'little'] as const;
export type Endianness = (typeof ENDIANNESSES)[number];

const REGISTER_COUNTS: Readonly<Record<RegisterType, 1 | 2 | 4>> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  float64: 4,
};

/** How many 16-bit registers a value of `type` occupies. */
export function registerCount(type: RegisterType): 1 | 2 | 4 {
  return REGISTER_COUNTS[type];
}

/**
 * The number held in `words` (register values 0..65535, in the order they were read). Throws
 * when the count does not fit the type or a word is not a 16-bit value: a caller's bug, not data.
 */
export function decodeRegisters(
  words: readonly number[],
  type: RegisterType,
  wordOrder: Endianness = 'big',
  byteOrder: Endianness = 'big',
): number {
  const count = registerCount(type);
  if (words.length !== count) {
    throw new RangeError(`${type} takes ${count} registers, not ${words.length}`);
  }
  const view = new DataView(new ArrayBuffer(count * 2));
  const ordered = wordOrder === 'big' ? words : [...words].reverse();
  ordered.forEach((word, index) => {
    if (!Number.isInteger(word) || word < 0 || word > 0xffff) {
      throw new RangeError(`register value ${word} is not a 16-bit word`);
    }
    view.setUint16(index * 2, byteOrder === 'big' ? word : swapBytes(word));
  });
  switch (type) {
    case 'int16':
      return view.getInt16(0);
    case 'uint16':
      return view.getUint16(0);
    case 'int32':
      return view.getInt32(0);
    case 'uint32':
      return view.getUint32(0);
    case 'float32':
      return shortestFloat32(view.getFloat32(0));
    case 'float64':
      return view.getFloat64(0);
  }
}

/**
 * The shortest decimal that is the same float32: a meter's 230.1 arrives as 230.1, not as
 * 230.1000061035156, the float64 that float32 holds exactly. No precision is lost.
 */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 6; digits < 9; digits += 1) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/** The registers that hold `value` as `type`: the inverse of `decodeRegisters` (simulators, tests). */
export function encodeRegisters(
  value: number,
  type: RegisterType,
  wordOrder: Endianness = 'big',
  byteOrder: Endianness = 'big',
): number[] {
  const count = registerCount(type);
  const view = new DataView(new ArrayBuffer(count * 2));
  switch (type) {
    case 'int16':
      view.setInt16(0, clampInteger(value, -0x8000, 0x7fff));
      break;
    case 'uint16':
      view.setUint16(0, clampInteger(value, 0, 0xffff));
      break;
    case 'int32':
      view.setInt32(0, clampInteger(value, -0x8000_0000, 0x7fff_ffff));
      break;
    case 'uint32':
      view.setUint32(0, clampInteger(value, 0, 0xffff_ffff));
      break;
    case 'float32':
      view.setFloat32(0, value);
      break;
    case 'float64':
      view.setFloat64(0, value);
      break;
  }
  const words = Array.from({ length: count }, (_, index) => {
    const word = view.getUint16(index * 2);
    return byteOrder === 'big' ? word : swapBytes(word);
  });
  return wordOrder === 'big' ? words : words.reverse();
}

function swapBytes(word: number): number {
  return ((word & 0xff) << 8) | (word >>> 8);
}

function clampInteger(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}
