import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { Page } from '@gridwatch/contracts';
import { Conflict, NotFound, OrganizationEntity, UserEntity } from '@gridwatch/server';
import { paginate } from '../../common/pagination';
import { containsPattern } from '../../common/postgres';
import type { RequestActor } from '../auth/authenticated-user';
import { assertStrongPassword } from '../auth/password-strength';
import { hashPassword } from '../auth/passwords';
import { TokensService } from '../auth/tokens.service';
import { EventRecorder } from '@gridwatch/server';
import type { CreateUserDto } from './dto/create-user.dto';
import type { ListUsersDto } from './dto/list-users.dto';
import type { UpdateUserDto } from './dto/update-user.dto';
import type { CreatedUserDto, UserDto } from './dto/user.dto';

const SORT_COLUMNS = {
  name: 'user.name',
  email: 'user.email',
  createdAt: 'user.created_at',
} as const;

/** Users of the caller's organization; the last active owner can be neither demoted nor disabled. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly tokens: TokensService,
    private readonly events: EventRecorder,
  ) {}

  list(organizationId: string, query: ListUsersDto): Promise<Page<UserDto>> {
    const qb = this.users
      .createQueryBuilder('user')
      .where('user.organization_id = :organizationId', { organizationId });
    if (query.role) qb.andWhere('user.role = :role', { role: query.role });
    if (query.disabled !== undefined)
      qb.andWhere('user.disabled = :disabled', { disabled: query.disabled });
    if (query.q) {
      qb.andWhere('(user.name ILIKE :q OR user.email ILIKE :q)', { q: containsPattern(query.q) });
    }
    qb.orderBy(SORT_COLUMNS[query.sort], query.order === 'desc' ? 'DESC' : 'ASC').addOrderBy(
      'user.id',
    );
    return paginate(qb, query, toUserView);
  }

  async get(organizationId: string, id: string): Promise<UserDto> {
    return toUserView(await this.find(this.db.manager, organizationId, id));
  }

  async create(actor: RequestActor, dto: CreateUserDto): Promise<CreatedUserDto> {
    const email = dto.email.toLowerCase();
    if (await this.users.existsBy({ email })) {
      throw new Conflict('email_taken', 'A user with this email already exists');
    }
    if (dto.password) assertStrongPassword(dto.password, { email, name: dto.name });
    const temporaryPassword = dto.password ? undefined : randomBytes(12).toString('base64url');
    const user = await this.users.save(
      this.users.create({
        organizationId: actor.user.organizationId,
        email,
        name: dto.name,
        role: dto.role,
        passwordHash: await hashPassword(dto.password ?? (temporaryPassword as string)),
      }),
    );
    await this.events.record({
      organizationId: user.organizationId,
      type: 'user.created',
      actor,
      subject: { type: 'user', id: user.id },
      data: { email, role: user.role, invited: temporaryPassword !== undefined },
    });
    return temporaryPassword ? { ...toUserView(user), temporaryPassword } : toUserView(user);
  }

  async update(actor: RequestActor, id: string, dto: UpdateUserDto): Promise<UserDto> {
    const organizationId = actor.user.organizationId;
    const updated = await this.db.transaction(async (manager) => {
      // Serialises owner changes per organization so two demotions cannot both pass the check.
      await manager.findOne(OrganizationEntity, {
        where: { id: organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      const user = await this.find(manager, organizationId, id);
      const losesOwner =
        user.role === 'owner' &&
        !user.disabled &&
        ((dto.role !== undefined && dto.role !== 'owner') || dto.disabled === true);
      if (losesOwner && (await this.activeOwners(manager, organizationId)) <= 1) {
        throw new Conflict('last_owner', 'The last owner cannot be demoted or disabled');
      }
      Object.assign(user, dto);
      await manager.save(user);
      if (dto.disabled === true) await this.tokens.revokeAllOf(user.id, manager);
      return user;
    });
    await this.events.record({
      organizationId,
      type: dto.disabled === true ? 'user.disabled' : 'user.updated',
      actor,
      subject: { type: 'user', id },
      data: { changes: dto },
    });
    return toUserView(updated);
  }

  private async find(
    manager: EntityManager,
    organizationId: string,
    id: string,
  ): Promise<UserEntity> {
    const user = await manager.findOneBy(UserEntity, { id, organizationId });
    if (!user) throw new NotFound('user_not_found', 'User');
    return user;
  }

  private activeOwners(manager: EntityManager, organizationId: string): Promise<number> {
    return manager.countBy(UserEntity, { organizationId, role: 'owner', disabled: false });
  }
}

export function toUserView(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabled,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
