import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RealtimeBridgeModule, UserEntity } from '@gridwatch/server';
import { AuthModule } from '../auth/auth.module';
import { RealtimeBridgeSubscriber } from './realtime-bridge.subscriber';
import { RealtimeController } from './realtime.controller';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeListener } from './realtime.listener';
import { RealtimeMetrics } from './realtime-metrics';
import { RealtimePublisher } from './realtime.publisher';
import { RealtimeRooms } from './realtime-rooms';
import { SocketAuthenticator } from './socket-authenticator';

/**
 * Live updates over socket.io. Global: any feature publishes through RealtimePublisher, and
 * registers its own room kinds with RealtimeRooms. Events of processes without socket.io (the
 * transport) come in through the realtime bridge (Redis pub/sub).
 */
@Global()
@Module({
  imports: [AuthModule, RealtimeBridgeModule, TypeOrmModule.forFeature([UserEntity])],
  controllers: [RealtimeController],
  providers: [
    RealtimeGateway,
    RealtimePublisher,
    RealtimeListener,
    RealtimeRooms,
    RealtimeMetrics,
    SocketAuthenticator,
    RealtimeBridgeSubscriber,
  ],
  exports: [RealtimePublisher, RealtimeRooms],
})
export class RealtimeModule {}
