export function server(): string {
  return 'server';
}
