import { server } from './server';

describe('server', () => {
  it('should work', () => {
    expect(server()).toEqual('server');
  });
});
