import { InitialSchema1795441824483 } from './1795441824483-initial-schema';

/** Every migration, in order. New ones come from `npm run db:generate -- <Name>`. */
export const MIGRATIONS = [InitialSchema1795441824483];
