import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import type { SiteTariffView } from '@gridwatch/contracts';
import { BehaviorSubject } from 'rxjs';
import { anError, aPage, aSite, aUser } from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { SiteDetailComponent } from './site-detail.component';

describe('SiteDetailComponent', () => {
  const site = aSite();
  let fixture: ComponentFixture<SiteDetailComponent>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [SiteDetailComponent],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: { paramMap: new BehaviorSubject(convertToParamMap({ id: site.id })) },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).loadUser().subscribe();
    backend.expectOne('/api/v1/auth/me').flush(aUser({ role: 'viewer' }));
    fixture = TestBed.createComponent(SiteDetailComponent);
    await fixture.whenStable();
    backend.expectOne(`/api/v1/sites/${site.id}`).flush(site);
    await fixture.whenStable();
    backend.expectOne((request) => request.url === '/api/v1/meters').flush(aPage([]));
    backend.expectOne((request) => request.url === '/api/v1/gateways').flush(aPage([]));
  });

  afterEach(() => backend.verify());

  const tariff = () =>
    (fixture.nativeElement as HTMLElement)
      .querySelector('[data-testid="site-tariff"]')
      ?.textContent?.trim();

  it("shows the tariff from the site's tariff document", async () => {
    const document: SiteTariffView = {
      siteId: site.id,
      type: 'time_of_use',
      currency: 'GBP',
      standingChargePerDay: 0.45,
      periods: [],
      updatedAt: '2026-12-01T00:00:00Z',
    };
    backend.expectOne(`/api/v1/sites/${site.id}/tariff`).flush(document);
    await fixture.whenStable();
    expect(tariff()).toBe('Time of use (GBP)');
  });

  it('says None when the site has no tariff yet (404)', async () => {
    backend
      .expectOne(`/api/v1/sites/${site.id}/tariff`)
      .flush(anError(404, 'tariff_not_found', 'Tariff not found'), {
        status: 404,
        statusText: 'Not Found',
      });
    await fixture.whenStable();
    expect(tariff()).toBe('None');
  });
});
