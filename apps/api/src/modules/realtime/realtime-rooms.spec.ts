import { parseRoomRef, roomName } from './realtime-rooms';

const ID = '0b6c5a2e-3f43-4c1e-9a4f-2f9d7d1b6a10';

describe('room references', () => {
  it('accepts known kinds with a UUID, and the organization room without one', () => {
    expect(parseRoomRef({ kind: 'meter', id: ID.toUpperCase() })).toEqual({
      kind: 'meter',
      id: ID,
    });
    expect(parseRoomRef({ kind: 'organization' })).toEqual({ kind: 'organization' });
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'org:x'],
    ['an unknown kind', { kind: 'gateway', id: ID }],
    ['a meter without id', { kind: 'meter' }],
    ['an id that is not a UUID', { kind: 'site', id: `${ID}:meter:${ID}` }],
    ['a numeric id', { kind: 'site', id: 42 }],
  ])('refuses %s', (_what, payload) => {
    expect(parseRoomRef(payload)).toBeNull();
  });

  it('puts the organization first in every room name, whatever id the organization room carries', () => {
    expect(roomName('o1', { kind: 'organization', id: 'o2' })).toBe('org:o1');
    expect(roomName('o1', { kind: 'site', id: ID })).toBe(`org:o1:site:${ID}`);
    expect(roomName('o1', { kind: 'meter', id: ID })).toBe(`org:o1:meter:${ID}`);
  });
});
