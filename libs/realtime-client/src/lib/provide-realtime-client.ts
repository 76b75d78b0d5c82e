import {
  DestroyRef,
  inject,
  makeEnvironmentProviders,
  type EnvironmentProviders,
} from '@angular/core';
import { RealtimeClient, type RealtimeClientOptions } from './realtime-client';

/**
 * Provides one RealtimeClient for the application, stopped with it; call `start()` once signed
 * in and `stop()` on sign-out. `options` runs in an injection context, so it can inject the auth
 * service that hands out tokens:
 *
 *   provideRealtimeClient(() => {
 *     const auth = inject(AuthService);
 *     return {
 *       token: (fresh) => (fresh ? firstValueFrom(auth.refreshAccessToken()) : auth.accessToken()),
 *     };
 *   })
 */
export function provideRealtimeClient(options: () => RealtimeClientOptions): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: RealtimeClient,
      useFactory: () => {
        const client = new RealtimeClient(options());
        inject(DestroyRef).onDestroy(() => client.stop());
        return client;
      },
    },
  ]);
}
