import { isWithinJsonDepth, jsonDepth, MAX_JSON_DEPTH } from './json-bounds';

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('jsonDepth', () => {
  it('counts objects and arrays', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{}')).toBe(1);
    expect(jsonDepth('{"a":[{"b":1}],"c":{}}')).toBe(3);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[[","b":[1]}')).toBe(2);
    expect(jsonDepth('["\\\\",[2]]')).toBe(2);
  });

  it('reads bytes as well as text', () => {
    expect(jsonDepth(Buffer.from('{"a":{"b":"é{"}}'))).toBe(2);
  });

  it('stops counting once over the limit', () => {
    expect(jsonDepth(nested(100_000), 32)).toBe(33);
  });
});

describe('isWithinJsonDepth', () => {
  it(`allows ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(isWithinJsonDepth(nested(MAX_JSON_DEPTH))).toBe(true);
    expect(isWithinJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(false);
  });

  it('refuses 5,000 levels of objects without overflowing the stack', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    expect(isWithinJsonDepth(deep)).toBe(false);
  });
});
