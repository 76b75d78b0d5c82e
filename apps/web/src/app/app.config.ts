import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { provideRouter } from '@angular/router';
import { provideRealtimeClient } from '@gridwatch/realtime-client';
import { appRoutes } from './app.routes';
import { authInterceptor } from './auth/auth.interceptor';
import { RealtimeSession, realtimeClientOptions } from './realtime/realtime-session.service';
import { ThemeService } from './shared/theme.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(appRoutes),
    provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
    // Live updates over socket.io on the same origin (the dev server proxies /socket.io).
    provideRealtimeClient(realtimeClientOptions),
    // Follows the session from the start: connects once signed in, disconnects on sign-out.
    provideAppInitializer(() => {
      inject(RealtimeSession);
    }),
    // The chosen (or the system's) theme from the first page on, the sign-in page included.
    provideAppInitializer(() => {
      inject(ThemeService);
    }),
  ],
};
