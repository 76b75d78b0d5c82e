import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@gridwatch/contracts';
import { PageOf } from '../../../common/page.dto';

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastLoginAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedUserDto extends UserDto {
  @ApiPropertyOptional({
    description:
      'Only when no password was given: a one-time password to hand to the user. Shown once.',
  })
  temporaryPassword?: string;
}

export class UserPageDto extends PageOf(UserDto, 'UserPage') {}
