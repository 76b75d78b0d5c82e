import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule } from '@gridwatch/server';
import { EventsModule } from '../modules/events/events.module';
import { OrganizationsModule } from '../modules/organizations/organizations.module';
import { DemoSeeder } from './demo-seeder';

/** What admin commands need: the database and the services they reuse, no HTTP, no queues. */
@Module({
  imports: [ConfigModule, DatabaseModule, EventsModule, OrganizationsModule],
  providers: [DemoSeeder],
})
export class CliModule {}
