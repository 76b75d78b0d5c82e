import { listParams, PageCursors, type ListQuery } from './server-list';

describe('PageCursors', () => {
  it('reaches the first page, and each next page once the one before answered its cursor', () => {
    const cursors = new PageCursors();
    expect(cursors.cursorOf(0)).toBeUndefined();
    expect(cursors.cursorOf(1)).toBeNull();
    cursors.learn(0, 'c1');
    expect(cursors.cursorOf(1)).toBe('c1');
    cursors.learn(1, 'c2');
    expect(cursors.cursorOf(2)).toBe('c2');
    expect(cursors.cursorOf(1)).toBe('c1');
  });

  it('cannot reach past the last page (no nextCursor) and forgets all after a reset', () => {
    const cursors = new PageCursors();
    cursors.learn(0, 'c1');
    cursors.learn(1, undefined);
    expect(cursors.cursorOf(2)).toBeNull();
    cursors.reset();
    expect(cursors.cursorOf(1)).toBeNull();
  });
});

describe('listParams', () => {
  const query: ListQuery = {
    filters: { q: '  kitchen ', status: undefined, kind: '' },
    sort: 'name',
    order: 'desc',
    pageIndex: 1,
    pageSize: 25,
  };

  it('sends the trimmed filters that are set, the sort, the page size and the cursor', () => {
    expect(listParams(query, 'c1')).toEqual({
      q: 'kitchen',
      sort: 'name',
      order: 'desc',
      limit: 25,
      cursor: 'c1',
    });
  });

  it('sends no cursor for the first page', () => {
    expect(listParams(query, undefined)).not.toHaveProperty('cursor');
  });
});
