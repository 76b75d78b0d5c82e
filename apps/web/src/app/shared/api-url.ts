import { API_PREFIX } from '@gridwatch/contracts';

/** Absolute path of an API endpoint on the same origin (the dev server proxies /api). */
export function apiUrl(path: string): string {
  return `/${API_PREFIX}/${path.replace(/^\/+/, '')}`;
}
