import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { Role } from '@gridwatch/contracts';
import { aGateway, aMeter, anError, aPage, aSite, aUser } from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { OverviewComponent } from './overview.component';

const notFound = { status: 404, statusText: 'Not Found' };
const routeNotFound = anError(404, 'route_not_found', 'Cannot GET /api/v1/meters');

describe('OverviewComponent', () => {
  let fixture: ComponentFixture<OverviewComponent>;
  let backend: HttpTestingController;

  async function render(role: Role = 'viewer'): Promise<void> {
    TestBed.configureTestingModule({
      imports: [OverviewComponent],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).loadUser().subscribe();
    backend.expectOne('/api/v1/auth/me').flush(aUser({ role }));
    fixture = TestBed.createComponent(OverviewComponent);
    await fixture.whenStable();
  }

  afterEach(() => backend.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const text = (id: string) => page().querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

  async function answerLists(meters = [aMeter()]): Promise<void> {
    backend.expectOne('/api/v1/sites').flush(aPage([aSite()]));
    backend.expectOne('/api/v1/gateways').flush(aPage([]));
    backend.expectOne('/api/v1/meters').flush(aPage(meters));
    await fixture.whenStable();
  }

  describe('for a viewer', () => {
    beforeEach(() => render('viewer'));

    it('counts sites, gateways and meters and lists the meters with their site and status', async () => {
      const london = aSite();
      const newYork = aSite({ id: 'a1f3c2d4-0000-4000-8000-000000000002', name: 'New York DC' });
      backend.expectOne('/api/v1/sites').flush(aPage([london, newYork]));
      backend.expectOne('/api/v1/gateways').flush(aPage([aGateway()], 3));
      backend.expectOne('/api/v1/meters').flush(
        aPage([
          aMeter({ name: 'Main incomer', status: 'online' }),
          aMeter({
            id: 'c3f5e4d6-0000-4000-8000-000000000002',
            name: 'Rack A',
            kind: 'server',
            siteId: newYork.id,
            status: 'maintenance',
          }),
        ]),
      );
      await fixture.whenStable();

      expect(text('count-sites')).toBe('2');
      expect(text('count-gateways')).toBe('3');
      expect(text('count-meters')).toBe('2');
      const rows = [...page().querySelectorAll('[data-testid="meter-row"]')].map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim()),
      );
      expect(rows).toEqual([
        ['Main incomer', 'Main', 'Online', 'London head office', 'Never'],
        ['Rack A', 'Server', 'Maintenance', 'New York DC', 'Never'],
      ]);
      expect(page().querySelector('.badge-maintenance')).not.toBeNull();
    });

    it('shows an empty state, not an error, while the device endpoints do not exist yet', async () => {
      for (const url of ['/api/v1/sites', '/api/v1/gateways', '/api/v1/meters']) {
        backend.expectOne(url).flush(routeNotFound, notFound);
      }
      await fixture.whenStable();

      expect(text('meters-empty')).toContain('not available');
      expect(text('count-meters')).toBe('—');
      expect(page().querySelector('[data-testid="overview-error"]')).toBeNull();
    });

    it('says there are no meters when the organization has none', async () => {
      backend.expectOne('/api/v1/sites').flush(aPage([aSite()]));
      backend.expectOne('/api/v1/gateways').flush(aPage([]));
      backend.expectOne('/api/v1/meters').flush(aPage([]));
      await fixture.whenStable();

      expect(text('meters-empty')).toContain('No meters yet');
      expect(text('count-meters')).toBe('0');
    });

    it("shows the API's message when a list fails for another reason", async () => {
      backend.expectOne('/api/v1/sites').flush(aPage([]));
      backend.expectOne('/api/v1/gateways').flush(aPage([]));
      backend
        .expectOne('/api/v1/meters')
        .flush(anError(503, 'service_unavailable', 'The database is unavailable'), {
          status: 503,
          statusText: 'Service Unavailable',
        });
      await fixture.whenStable();

      expect(text('overview-error')).toBe('The database is unavailable');
      expect(text('meters-empty')).toBeTruthy();
    });

    it('offers no status changes', async () => {
      await answerLists();

      expect(page().querySelector('[data-testid="meter-row"]')).not.toBeNull();
      expect(page().querySelector('[data-testid="meter-action"]')).toBeNull();
    });
  });

  describe('for an operator, who may change devices', () => {
    const meter = aMeter({ status: 'online' });

    beforeEach(async () => {
      await render('operator');
      await answerLists([meter]);
    });

    const actionButton = () =>
      page().querySelector<HTMLButtonElement>('[data-testid="meter-action"]');

    it('puts a meter into maintenance and shows its new status', async () => {
      expect(actionButton()?.textContent?.trim()).toBe('Start maintenance');
      actionButton()?.click();

      const request = backend.expectOne(`/api/v1/meters/${meter.id}/status`);
      expect(request.request.method).toBe('POST');
      expect(request.request.body).toEqual({ status: 'maintenance' });
      request.flush({ ...meter, status: 'maintenance' });
      await fixture.whenStable();

      expect(text('meter-status')).toBe('Maintenance');
      expect(actionButton()?.textContent?.trim()).toBe('End maintenance');
    });

    it("shows the API's message when the move is refused", async () => {
      actionButton()?.click();

      backend
        .expectOne(`/api/v1/meters/${meter.id}/status`)
        .flush(anError(409, 'illegal_status_transition', 'A decommissioned meter stays so'), {
          status: 409,
          statusText: 'Conflict',
        });
      await fixture.whenStable();

      expect(text('action-error')).toBe('A decommissioned meter stays so');
      expect(text('meter-status')).toBe('Online');
    });
  });
});
