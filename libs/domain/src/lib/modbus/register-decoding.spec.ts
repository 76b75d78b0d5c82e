import { decodeRegisters, encodeRegisters, REGISTER_TYPES } from './register-decoding';

describe('decodeRegisters', () => {
  it('decodes a known float32 in both word orders', () => {
    // 230.5 is 0x43668000 in IEEE 754.
    expect(decodeRegisters([0x4366, 0x8000], 'float32', 'big')).toBe(230.5);
    expect(decodeRegisters([0x8000, 0x4366], 'float32', 'little')).toBe(230.5);
    // -1.5 is 0xBFC00000.
    expect(decodeRegisters([0xbfc0, 0x0000], 'float32')).toBe(-1.5);
  });

  it('gives a float32 as the shortest decimal that is the same float32', () => {
    const [high, low] = encodeRegisters(230.1, 'float32');
    expect(decodeRegisters([high, low], 'float32')).toBe(230.1);
    expect(decodeRegisters(encodeRegisters(16_777_215, 'float32'), 'float32')).toBe(16_777_215);
    expect(decodeRegisters(encodeRegisters(5.924, 'float32'), 'float32')).toBe(5.924);
    expect(decodeRegisters([0x7fc0, 0x0000], 'float32')).toBeNaN();
  });

  it('honours a swapped byte order inside each register', () => {
    expect(decodeRegisters([0x6643, 0x0080], 'float32', 'big', 'little')).toBe(230.5);
    expect(decodeRegisters([0x0080, 0x6643], 'float32', 'little', 'little')).toBe(230.5);
    expect(decodeRegisters([0x3412], 'uint16', 'big', 'little')).toBe(0x1234);
  });

  it('decodes signed and unsigned integers', () => {
    expect(decodeRegisters([0xffff], 'int16')).toBe(-1);
    expect(decodeRegisters([0xffff], 'uint16')).toBe(65535);
    expect(decodeRegisters([0xffff, 0xfffe], 'int32')).toBe(-2);
    expect(decodeRegisters([0x0001, 0x0000], 'uint32')).toBe(65536);
    expect(decodeRegisters([0x0000, 0x0001], 'uint32', 'little')).toBe(65536);
    expect(decodeRegisters([0x8000, 0x0000], 'uint32')).toBe(2 ** 31);
  });

  it('decodes a float64 in both word orders', () => {
    // 12345.678 as float64: 0x40C81CD6C8B43958.
    const words = [0x40c8, 0x1cd6, 0xc8b4, 0x3958];
    expect(decodeRegisters(words, 'float64')).toBe(12345.678);
    expect(decodeRegisters([...words].reverse(), 'float64', 'little')).toBe(12345.678);
  });

  it('refuses the wrong number of registers or a word that is not 16 bits', () => {
    expect(() => decodeRegisters([1], 'float32')).toThrow(/takes 2 registers/);
    expect(() => decodeRegisters([0x10000, 0], 'int32')).toThrow(/16-bit/);
  });

  it.each(REGISTER_TYPES)('round-trips %s through encodeRegisters in every order', (type) => {
    const value = type.startsWith('u') ? 1234 : type.startsWith('float') ? -42.25 : -1234;
    for (const wordOrder of ['big', 'little'] as const) {
      for (const byteOrder of ['big', 'little'] as const) {
        const words = encodeRegisters(value, type, wordOrder, byteOrder);
        expect(decodeRegisters(words, type, wordOrder, byteOrder)).toBe(value);
      }
    }
  });
});
