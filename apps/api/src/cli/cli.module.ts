import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule } from '@gridwatch/server';
import { EventsModule } from '../modules/events/events.module';
import { OrganizationsModule } from '../modules/organizations/organizations.module';
import { ReadingsQueryRepository } from '../modules/readings/readings-query.repository';
import { TicketSnapshotsRepository } from '../modules/tickets/ticket-snapshots.repository';
import { TicketsRepository } from '../modules/tickets/tickets.repository';
import { DemoSeeder } from './demo-seeder';
import { DemoTickets } from './demo-tickets';

/** What admin commands need: the database and the services they reuse, no HTTP, no queues. */
@Module({
  imports: [ConfigModule, DatabaseModule, EventsModule, OrganizationsModule],
  providers: [
    DemoSeeder,
    DemoTickets,
    TicketsRepository,
    TicketSnapshotsRepository,
    ReadingsQueryRepository,
  ],
})
export class CliModule {}
