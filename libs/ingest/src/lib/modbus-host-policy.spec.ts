import { ModbusHostNotAllowed, ModbusHostPolicy } from './modbus-host-policy';

const names: Record<string, string[]> = {
  'router.site-7': ['10.20.0.7'],
  'split.example': ['10.20.0.8', '192.168.1.1'],
  'rebind.example': ['169.254.169.254'],
  localhost: ['127.0.0.1', '::1'],
};
const lookup = async (host: string) => {
  const found = names[host];
  if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return found;
};

describe('ModbusHostPolicy', () => {
  const policy = new ModbusHostPolicy(['127.0.0.0/8', '10.20.0.0/16'], lookup);

  it('answers the checked address of an allowed name or address', async () => {
    await expect(policy.resolve('router.site-7')).resolves.toBe('10.20.0.7');
    await expect(policy.resolve('10.20.3.4')).resolves.toBe('10.20.3.4');
    await expect(policy.resolve('127.1')).resolves.toBe('127.0.0.1');
  });

  it.each([
    '169.254.169.254',
    'metadata.google.internal',
    '0xa9fea9fe',
    '2852039166',
    '0251.0376.0251.0376',
    '10.0.0.1',
    'localhost',
    'split.example',
    'rebind.example',
    'nowhere.example',
    '999.1.1.1',
    '0.0.0.0',
    '224.0.0.1',
  ])(
    'refuses %s with modbus_host_not_allowed and a message naming nothing internal',
    async (host) => {
      const refused = await policy.resolve(host).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ModbusHostNotAllowed);
      const error = refused as ModbusHostNotAllowed;
      expect(error.code).toBe('modbus_host_not_allowed');
      expect(error.status).toBe(400);
      expect(error.message).not.toMatch(/\d+\.\d+|MODBUS_ALLOWED_NETWORKS|ENOTFOUND/);
    },
  );
});
