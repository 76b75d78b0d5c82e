import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Conflict, OrganizationEntity, UserEntity } from '@gridwatch/server';
import { assertStrongPassword } from '../auth/password-strength';
import { hashPassword } from '../auth/passwords';
import { EventRecorder } from '@gridwatch/server';

export interface NewOrganization {
  organizationName: string;
  ownerName: string;
  email: string;
  password: string;
}

/** Tenants: created with their first owner, in one transaction. */
@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventRecorder,
  ) {}

  async createWithOwner(
    input: NewOrganization,
    ip: string | null = null,
  ): Promise<{ organization: OrganizationEntity; owner: UserEntity }> {
    const email = input.email.toLowerCase();
    assertStrongPassword(input.password, { email, name: input.ownerName });
    const passwordHash = await hashPassword(input.password);
    const created = await this.db.transaction(async (manager) => {
      if (await manager.existsBy(UserEntity, { email })) {
        throw new Conflict('email_taken', 'A user with this email already exists');
      }
      const organization = await manager.save(
        manager.create(OrganizationEntity, { name: input.organizationName, settings: {} }),
      );
      const owner = await manager.save(
        manager.create(UserEntity, {
          organizationId: organization.id,
          email,
          name: input.ownerName,
          passwordHash,
          role: 'owner',
        }),
      );
      return { organization, owner };
    });
    await this.events.record({
      organizationId: created.organization.id,
      type: 'organization.created',
      actor: ip === null ? undefined : { type: 'user', id: null, ip },
      subject: { type: 'organization', id: created.organization.id },
      data: { name: created.organization.name, ownerEmail: email },
    });
    return created;
  }
}
