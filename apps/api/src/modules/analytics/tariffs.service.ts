import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { TariffDocument } from '@gridwatch/contracts';
import { tariffProblems } from '@gridwatch/domain';
import { DomainException, EventRecorder, NotFound, SiteTariffEntity } from '@gridwatch/server';
import type { RequestActor } from '../auth/authenticated-user';
import { SitesService } from '../devices/sites.service';
import type { SiteTariffDto, TariffDocumentDto } from './dto/tariff.dto';

/** A site's tariff: the latest document in force; every earlier one stays on record. */
@Injectable()
export class TariffsService {
  constructor(
    @InjectRepository(SiteTariffEntity) private readonly tariffs: Repository<SiteTariffEntity>,
    private readonly sites: SitesService,
    private readonly events: EventRecorder,
  ) {}

  async get(organizationId: string, siteId: string): Promise<SiteTariffDto> {
    await this.sites.load(organizationId, siteId);
    const tariff = await this.current(siteId);
    if (!tariff) throw new NotFound('tariff_not_found', 'Tariff');
    return toView(tariff);
  }

  /** The site's tariff document, or null when none was set. */
  async current(siteId: string): Promise<SiteTariffEntity | null> {
    return this.tariffs.findOne({ where: { siteId }, order: { createdAt: 'DESC' } });
  }

  async put(actor: RequestActor, siteId: string, dto: TariffDocumentDto): Promise<SiteTariffDto> {
    const organizationId = actor.user.organizationId;
    await this.sites.load(organizationId, siteId);
    const document = toDocument(dto);
    const problems = tariffProblems(document);
    if (problems.length > 0)
      throw new DomainException(
        'invalid_tariff',
        `Invalid tariff: ${problems[0].field} ${problems[0].message}`,
        problems.map(({ field, message }) => ({ field, messages: [message] })),
      );
    const saved = await this.tariffs.save({
      organizationId,
      siteId,
      document,
      createdBy: actor.user.id,
    });
    await this.events.record({
      organizationId,
      type: 'site.tariff_changed',
      actor,
      subject: { type: 'site', id: siteId },
      data: { type: document.type, periods: document.periods.length },
    });
    return toView(saved);
  }
}

/** Keeps only the document's own fields, in a stable order. */
function toDocument(dto: TariffDocumentDto): TariffDocument {
  return {
    type: dto.type,
    currency: dto.currency,
    standingChargePerDay: dto.standingChargePerDay,
    periods: dto.periods.map((period) => ({
      validFrom: period.validFrom,
      ...(period.validTo !== undefined && { validTo: period.validTo }),
      ...(period.price !== undefined && { price: period.price }),
      ...(period.bands !== undefined && {
        bands: period.bands.map(({ days, from, to, price, name }) => ({
          days,
          from,
          to,
          price,
          ...(name !== undefined && { name }),
        })),
      }),
    })),
  };
}

function toView(tariff: SiteTariffEntity): SiteTariffDto {
  return { siteId: tariff.siteId, ...tariff.document, updatedAt: tariff.createdAt.toISOString() };
}
