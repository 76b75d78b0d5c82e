import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { aGateway, aMeter, anError, aPage, aSite } from '../../testing/fixtures';
import { OverviewComponent } from './overview.component';

const notFound = { status: 404, statusText: 'Not Found' };
const routeNotFound = anError(404, 'route_not_found', 'Cannot GET /api/v1/meters');

describe('OverviewComponent', () => {
  let fixture: ComponentFixture<OverviewComponent>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [OverviewComponent],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(OverviewComponent);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const text = (id: string) => page().querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

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
      ['Main incomer', 'Main incomer', 'Online', 'London head office', 'Never'],
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
});
