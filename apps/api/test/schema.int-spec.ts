import { loadConfig, schemaDrift } from '@gridwatch/server';

describe('database schema', () => {
  it('migrations produce exactly what the entities describe (no entity change without a migration)', async () => {
    const drift = await schemaDrift(loadConfig());
    expect(drift.up).toEqual([]);
  });
});
