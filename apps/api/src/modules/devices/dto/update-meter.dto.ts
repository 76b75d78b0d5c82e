import { PartialType } from '@nestjs/swagger';
import { CreateMeterDto } from './create-meter.dto';

/** Any subset of a meter's fields except its status, which changes only through POST .../status. */
export class UpdateMeterDto extends PartialType(CreateMeterDto, { skipNullProperties: false }) {}
