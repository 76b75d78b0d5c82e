import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tariff a site carried in `sites.tariff` before `site_tariffs` (issue 15) existed. */
interface LegacyTariff {
  currency: string;
  kind: 'flat' | 'time_of_use';
  pricePerKwh?: number;
  bands?: Array<{ name: string; from: string; to: string; pricePerKwh: number }>;
}

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** The old field had no dates: its prices held for as long as there is data. */
const ALWAYS = '1970-01-01';

/**
 * One home for a site's tariff: a site's old `tariff` field becomes its first `site_tariffs`
 * document (unless it already has one, which wins), and the column goes.
 */
export class SiteTariffOneHome1795780000000 implements MigrationInterface {
  name = 'SiteTariffOneHome1795780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const legacy = (await queryRunner.query(
      `SELECT s.id, s.organization_id, s.tariff FROM sites s
       WHERE s.tariff IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM site_tariffs t WHERE t.site_id = s.id)`,
    )) as Array<{ id: string; organization_id: string; tariff: LegacyTariff }>;
    for (const site of legacy)
      await queryRunner.query(
        'INSERT INTO site_tariffs (organization_id, site_id, document) VALUES ($1, $2, $3)',
        [site.organization_id, site.id, JSON.stringify(tariffDocument(site.tariff))],
      );
    await queryRunner.query('ALTER TABLE "sites" DROP COLUMN "tariff"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sites" ADD "tariff" jsonb');
  }
}

/** The old shape as a tariff document: bands on every weekday, a band past midnight split. */
export function tariffDocument(tariff: LegacyTariff) {
  if (tariff.kind === 'flat')
    return {
      type: 'flat',
      currency: tariff.currency,
      standingChargePerDay: 0,
      periods: [{ validFrom: ALWAYS, price: tariff.pricePerKwh ?? 0 }],
    };
  const bands = (tariff.bands ?? []).flatMap(({ name, from, to, pricePerKwh }) => {
    const band = (start: string, end: string) => ({
      days: EVERY_DAY,
      from: start,
      to: end,
      price: pricePerKwh,
      name,
    });
    // The old field let `to` before `from` wrap past midnight; documents split at 24:00.
    if (to === '00:00') return [band(from, '24:00')];
    return to > from ? [band(from, to)] : [band(from, '24:00'), band('00:00', to)];
  });
  return {
    type: 'time_of_use',
    currency: tariff.currency,
    standingChargePerDay: 0,
    periods: [{ validFrom: ALWAYS, bands }],
  };
}
