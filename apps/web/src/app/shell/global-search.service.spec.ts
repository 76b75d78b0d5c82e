import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { aGateway, aMeter, anError, aPage, aSite } from '../../testing/fixtures';
import { GlobalSearchService } from './global-search.service';

describe('GlobalSearchService', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('asks each list for the text and links each hit to its page', async () => {
    const answer = firstValueFrom(TestBed.inject(GlobalSearchService).search('ldn'));
    backend.expectOne('/api/v1/sites?q=ldn&limit=5').flush(aPage([aSite()]));
    backend.expectOne('/api/v1/meters?q=ldn&limit=5').flush(aPage([aMeter()]));
    backend.expectOne('/api/v1/gateways?q=ldn&limit=5').flush(aPage([aGateway()]));
    const groups = await answer;
    expect(groups.map((group) => [group.kind, group.hits.map((hit) => hit.link)])).toEqual([
      ['site', [['/sites', aSite().id]]],
      ['meter', [['/meters', aMeter().id]]],
      ['gateway', [['/gateways', aGateway().id]]],
    ]);
  });

  it('says which kind could not be searched, and still answers the others', async () => {
    const answer = firstValueFrom(TestBed.inject(GlobalSearchService).search('ldn'));
    backend.expectOne('/api/v1/sites?q=ldn&limit=5').flush(aPage([aSite()]));
    backend
      .expectOne('/api/v1/meters?q=ldn&limit=5')
      .flush(anError(503, 'unavailable', 'Try again shortly'), {
        status: 503,
        statusText: 'Service Unavailable',
      });
    backend.expectOne('/api/v1/gateways?q=ldn&limit=5').flush(aPage([]));
    const groups = await answer;
    expect(groups[1]).toMatchObject({ kind: 'meter', hits: [], error: 'Try again shortly' });
    expect(groups[0].hits).toHaveLength(1);
  });
});
