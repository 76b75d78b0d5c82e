import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '@gridwatch/contracts';
import { PASSWORD_MIN_LENGTH } from '../../auth/dto/signup.dto';

export class CreateUserDto {
  @ApiProperty({ example: 'grace@acme.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Grace Hopper' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_LENGTH,
    description:
      'Omit to invite: a temporary password is generated and answered once. Checked for ' +
      'strength (zxcvbn score 3 or more): a weak one is `weak_password`',
  })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(256)
  password?: string;
}
