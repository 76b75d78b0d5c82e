export interface Page<T> {
  items: T[];
  total: number;
  nextCursor?: string;
}

export const SortOrder = { Asc: 'asc', Desc: 'desc' } as const;
export type SortOrder = (typeof SortOrder)[keyof typeof SortOrder];

export const API_PREFIX = 'api/v1';
