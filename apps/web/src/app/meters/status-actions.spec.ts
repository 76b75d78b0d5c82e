import { statusActions } from './status-actions';

describe('statusActions', () => {
  it('offers maintenance and decommissioning to a working meter', () => {
    expect(statusActions('online').map((action) => action.to)).toEqual([
      'maintenance',
      'decommissioned',
    ]);
    expect(statusActions('offline').map((action) => action.to)).toEqual([
      'maintenance',
      'decommissioned',
    ]);
  });

  it('ends maintenance as offline (its readings, not a user, say it is online)', () => {
    expect(statusActions('maintenance')[0]).toMatchObject({
      label: 'End maintenance',
      to: 'offline',
    });
  });

  it('offers nothing once decommissioned (final), and marks decommissioning final', () => {
    expect(statusActions('decommissioned')).toEqual([]);
    expect(statusActions('online')[1].final).toBe(true);
  });
});
