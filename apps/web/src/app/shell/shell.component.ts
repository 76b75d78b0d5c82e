import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { NotificationBellComponent } from '../notifications/notification-bell.component';
import { LiveIndicatorComponent } from '../realtime/live-indicator.component';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { roleLabel } from '../shared/labels';
import { LogoComponent } from '../shared/logo.component';
import { ThemeService } from '../shared/theme.service';
import { GlobalSearchComponent } from './global-search.component';
import { visibleAreas } from './nav-areas';

/** Below this width the navigation is a drawer opened from the menu button. */
const WIDE_SCREEN = '(min-width: 960px)';

/** The frame around every signed-in page: top bar, side navigation by area, search, user menu. */
@Component({
  selector: 'app-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    LogoComponent,
    LiveIndicatorComponent,
    GlobalSearchComponent,
    NotificationBellComponent,
    MatSidenavModule,
    MatListModule,
    MatMenuModule,
    MatButtonModule,
  ],
  // For every page in the shell (here rather than app-wide, so Material stays out of the first
  // download): messages under a field take the room they need, the API's can run to two lines.
  providers: [
    { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: { subscriptSizing: 'dynamic' } },
  ],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly theme = inject(ThemeService);

  protected readonly user = this.auth.user;
  protected readonly role = computed(() => {
    const user = this.user();
    return user ? roleLabel(user.role) : '';
  });
  protected readonly areas = computed(() => visibleAreas(this.auth.scopes()));
  protected readonly connection = inject(RealtimeSession).connection;
  protected readonly dark = computed(() => this.theme.mode() === 'dark');
  protected readonly wide = toSignal(
    inject(BreakpointObserver)
      .observe(WIDE_SCREEN)
      .pipe(map((state) => state.matches)),
    { initialValue: true },
  );
  protected readonly drawerOpen = signal(false);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');
  protected readonly signingOut = signal(false);

  protected toggleTheme(): void {
    this.theme.toggle();
  }

  /**
   * Focuses the page's content. The link's own `#main-content` would resolve against the base
   * href and load the app again from `/`, so it is followed here instead.
   */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }

  protected navigated(): void {
    if (!this.wide()) this.drawerOpen.set(false);
  }

  protected signOut(): void {
    this.signingOut.set(true);
    this.auth.logout().subscribe(() => {
      this.signingOut.set(false);
      void this.router.navigate(['/login']);
    });
  }
}
