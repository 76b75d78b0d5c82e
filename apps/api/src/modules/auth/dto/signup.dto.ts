import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 10;

export class SignupDto {
  @ApiProperty({ example: 'Acme Facilities' })
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  organizationName!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  ownerName!: string;

  @ApiProperty({ example: 'ada@acme.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    example: 'correct horse battery staple',
    description: 'Checked for strength (zxcvbn score 3 or more): a weak one is `weak_password`',
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(256)
  password!: string;
}
