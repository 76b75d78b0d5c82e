import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { Page } from '@gridwatch/contracts';
import { Conflict, GatewayEntity, MeterEntity, NotFound, SiteEntity } from '@gridwatch/server';
import { paginate } from '../../common/pagination';
import type { RequestActor } from '../auth/authenticated-user';
import { EventRecorder } from '@gridwatch/server';
import type { CreateSiteDto } from './dto/create-site.dto';
import type { ListSitesDto } from './dto/list-sites.dto';
import type { SiteDto } from './dto/site.dto';
import type { UpdateSiteDto } from './dto/update-site.dto';
import { containsPattern, isForeignKeyViolation, isUniqueViolation } from '../../common/postgres';

const SORT_COLUMNS = {
  name: 'site.name',
  code: 'site.code',
  createdAt: 'site.created_at',
} as const;
const CODE_KEY = 'sites_organization_id_code_key';

/** Sites of the caller's organization; a site with gateways or meters cannot be deleted. */
@Injectable()
export class SitesService {
  constructor(
    @InjectRepository(SiteEntity) private readonly sites: Repository<SiteEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventRecorder,
  ) {}

  list(organizationId: string, query: ListSitesDto): Promise<Page<SiteDto>> {
    const qb = this.sites
      .createQueryBuilder('site')
      .where('site.organization_id = :organizationId', { organizationId });
    if (query.q) {
      qb.andWhere('(site.name ILIKE :q OR site.code ILIKE :q)', { q: containsPattern(query.q) });
    }
    qb.orderBy(SORT_COLUMNS[query.sort], query.order === 'desc' ? 'DESC' : 'ASC').addOrderBy(
      'site.id',
    );
    return paginate(qb, query, toSiteView);
  }

  async get(organizationId: string, id: string): Promise<SiteDto> {
    return toSiteView(await this.load(organizationId, id));
  }

  /** The site, if it belongs to the organization; otherwise 404 site_not_found. */
  async load(
    organizationId: string,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<SiteEntity> {
    const site = await manager.findOneBy(SiteEntity, { id, organizationId });
    if (!site) throw new NotFound('site_not_found', 'Site');
    return site;
  }

  async create(actor: RequestActor, dto: CreateSiteDto): Promise<SiteDto> {
    const organizationId = actor.user.organizationId;
    await this.assertCodeFree(organizationId, dto.code);
    const site = await this.saveUnique(
      this.sites.create({
        organizationId,
        code: dto.code,
        name: dto.name,
        timezone: dto.timezone,
        address: dto.address ?? null,
        latitude: dto.latitude ?? null,
        longitude: dto.longitude ?? null,
        operatingHours: dto.operatingHours ?? {},
      }),
    );
    await this.events.record({
      organizationId,
      type: 'site.created',
      actor,
      subject: { type: 'site', id: site.id },
      data: { code: site.code, name: site.name },
    });
    return toSiteView(site);
  }

  async update(actor: RequestActor, id: string, dto: UpdateSiteDto): Promise<SiteDto> {
    const organizationId = actor.user.organizationId;
    const site = await this.load(organizationId, id);
    if (dto.code !== undefined && dto.code !== site.code)
      await this.assertCodeFree(organizationId, dto.code);
    Object.assign(site, dto);
    const saved = await this.saveUnique(site);
    await this.events.record({
      organizationId,
      type: 'site.updated',
      actor,
      subject: { type: 'site', id },
      data: { changes: dto },
    });
    return toSiteView(saved);
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    const organizationId = actor.user.organizationId;
    const site = await this.load(organizationId, id);
    const [gateways, meters] = await Promise.all([
      this.db.manager.countBy(GatewayEntity, { siteId: id }),
      this.db.manager.countBy(MeterEntity, { siteId: id }),
    ]);
    if (gateways + meters > 0) throw siteInUse({ gateways, meters });
    try {
      await this.sites.delete({ id, organizationId });
    } catch (error) {
      // A gateway or meter added since the count: the foreign key refuses the delete.
      if (isForeignKeyViolation(error)) throw siteInUse({});
      throw error;
    }
    await this.events.record({
      organizationId,
      type: 'site.deleted',
      actor,
      subject: { type: 'site', id },
      data: { code: site.code, name: site.name },
    });
  }

  private async assertCodeFree(organizationId: string, code: string): Promise<void> {
    if (await this.sites.existsBy({ organizationId, code })) throw codeTaken(code);
  }

  private async saveUnique(site: SiteEntity): Promise<SiteEntity> {
    try {
      return await this.sites.save(site);
    } catch (error) {
      if (isUniqueViolation(error, CODE_KEY)) throw codeTaken(site.code);
      throw error;
    }
  }
}

function codeTaken(code: string): Conflict {
  return new Conflict('site_code_taken', 'Another site of this organization has this code', {
    code,
  });
}

function siteInUse(references: { gateways?: number; meters?: number }): Conflict {
  return new Conflict(
    'site_in_use',
    'The site still has gateways or meters: move or delete them first',
    references,
  );
}

export function toSiteView(site: SiteEntity): SiteDto {
  return {
    id: site.id,
    code: site.code,
    name: site.name,
    timezone: site.timezone,
    address: site.address,
    latitude: site.latitude,
    longitude: site.longitude,
    operatingHours: site.operatingHours,
    createdAt: site.createdAt.toISOString(),
    updatedAt: site.updatedAt.toISOString(),
  };
}
