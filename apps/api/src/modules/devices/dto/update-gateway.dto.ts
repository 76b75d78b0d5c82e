import { PartialType } from '@nestjs/swagger';
import { CreateGatewayDto } from './create-gateway.dto';

/** Any subset of a gateway's fields; null clears host or port. */
export class UpdateGatewayDto extends PartialType(CreateGatewayDto, {
  skipNullProperties: false,
}) {}
