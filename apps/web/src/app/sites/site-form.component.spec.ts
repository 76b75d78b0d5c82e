import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter, Router } from '@angular/router';
import { anError, aSite } from '../../testing/fixtures';
import { SiteFormComponent } from './site-form.component';

describe('SiteFormComponent (the shared create-or-edit frame)', () => {
  const site = aSite();
  let fixture: ComponentFixture<SiteFormComponent>;
  let backend: HttpTestingController;

  async function render(id: string | null): Promise<void> {
    TestBed.configureTestingModule({
      imports: [SiteFormComponent],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: { snapshot: { paramMap: convertToParamMap(id ? { id } : {}) } },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SiteFormComponent);
    await fixture.whenStable();
  }

  afterEach(() => backend.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const field = (id: string) =>
    page().querySelector<HTMLInputElement>(`[data-testid="field-${id}"]`) as HTMLInputElement;
  const type = (id: string, value: string) => {
    field(id).value = value;
    field(id).dispatchEvent(new Event('input'));
  };
  const save = async () => {
    page().querySelector<HTMLButtonElement>('[data-testid="save"]')?.click();
    await fixture.whenStable();
  };

  it('edits a site: its values in the fields, Cancel back to it, saved with a PATCH, then opened', async () => {
    await render(site.id);
    backend.expectOne(`/api/v1/sites/${site.id}`).flush(site);
    await fixture.whenStable();
    expect(page().querySelector('h1')?.textContent).toContain('Edit site');
    expect(field('code').value).toBe(site.code);
    expect(page().querySelector('a.btn-secondary')?.getAttribute('href')).toBe(`/sites/${site.id}`);

    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    type('name', 'London HQ');
    await save();
    const request = backend.expectOne(`/api/v1/sites/${site.id}`);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toMatchObject({ name: 'London HQ' });
    request.flush({ ...site, name: 'London HQ' });
    expect(navigate).toHaveBeenCalledWith(['/sites', site.id]);
  });

  it("creates a site: the form's own checks first, then the API's message under its field", async () => {
    await render(null);
    expect(page().querySelector('h1')?.textContent).toContain('New site');
    await save();
    backend.expectNone('/api/v1/sites'); // nothing sent while a required field is empty
    expect(page().textContent).toContain('Required');

    type('code', 'bad code');
    type('name', 'Leeds');
    await save();
    backend.expectOne('/api/v1/sites').flush(
      {
        ...anError(400, 'validation_failed', 'Invalid request'),
        details: [{ field: 'code', messages: ['code must be letters, digits and dashes'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(page().querySelector('[data-testid="form-error"]')?.textContent).toContain(
      'Invalid request',
    );
    expect(page().textContent).toContain('code must be letters, digits and dashes');
    expect(page().querySelector<HTMLButtonElement>('[data-testid="save"]')?.disabled).toBe(false);
  });

  it('says why the edited site could not be loaded', async () => {
    await render(site.id);
    backend
      .expectOne(`/api/v1/sites/${site.id}`)
      .flush(anError(404, 'site_not_found', 'Site not found'), {
        status: 404,
        statusText: 'Not Found',
      });
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain('Site not found');
  });
});
