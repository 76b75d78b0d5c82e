import { PartialType } from '@nestjs/swagger';
import { CreateSiteDto } from './create-site.dto';

/** Any subset of a site's fields; null clears an optional one. */
export class UpdateSiteDto extends PartialType(CreateSiteDto, { skipNullProperties: false }) {}
