import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  SiteEntity,
  SiteTariffEntity,
  TicketEntity,
  TicketMessageEntity,
  TicketSnapshotEntity,
} from '@gridwatch/server';
import { CliModule } from '../src/cli/cli.module';
import { DemoSeeder } from '../src/cli/demo-seeder';

// Generated per run: no secret is written in the source.
const DEMO_PASSWORD = randomBytes(18).toString('base64url');

describe('Demo seeding: tickets', () => {
  let app: INestApplicationContext;
  let db: DataSource;

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
    db = app.get<DataSource>(getDataSourceToken());
  });
  afterAll(() => app.close());

  it('seeds two tickets with a short conversation and a snapshot, once', async () => {
    const seeder = app.get(DemoSeeder);
    const manifest = await seeder.seed(DEMO_PASSWORD, null);
    await seeder.seed(DEMO_PASSWORD, manifest);
    const tickets = await db
      .getRepository(TicketEntity)
      .find({ where: { organizationId: manifest.organizationId }, order: { number: 'ASC' } });
    expect(tickets.map((ticket) => [ticket.number, ticket.priority, ticket.status])).toEqual([
      [1001, 'high', 'in_progress'],
      [1002, 'low', 'open'],
    ]);
    const [heaters, export_] = tickets as [TicketEntity, TicketEntity];
    expect(heaters.meterId).not.toBeNull();
    expect(heaters.firstResponseAt).not.toBeNull();
    const messages = await db.getRepository(TicketMessageEntity).findBy({ ticketId: heaters.id });
    expect(messages).toHaveLength(4);
    expect(messages.filter((message) => message.internal)).toHaveLength(1);
    expect(await db.getRepository(TicketMessageEntity).countBy({ ticketId: export_.id })).toBe(1);
    const snapshots = await db.getRepository(TicketSnapshotEntity).findBy({ ticketId: heaters.id });
    expect(snapshots.map((snapshot) => snapshot.version)).toEqual([1]);
    expect(snapshots[0]?.document.meter).toMatchObject({
      id: heaters.meterId,
      name: 'Office heaters',
    });
    expect(snapshots[0]?.document.gateway).toMatchObject({ serialNumber: 'GW-DEMO-HTTP-01' });
  });

  it('gives every demo site its tariff in site_tariffs (the one home of tariffs), once', async () => {
    const seeder = app.get(DemoSeeder);
    const manifest = await seeder.seed(DEMO_PASSWORD, null);
    await seeder.seed(DEMO_PASSWORD, manifest);
    const sites = await db
      .getRepository(SiteEntity)
      .findBy({ organizationId: manifest.organizationId });
    expect(sites.length).toBeGreaterThan(0);
    for (const site of sites) {
      const tariffs = await db.getRepository(SiteTariffEntity).findBy({ siteId: site.id });
      expect(tariffs).toHaveLength(1);
      expect(tariffs[0]?.document).toMatchObject({ type: 'time_of_use' });
    }
  });
});
