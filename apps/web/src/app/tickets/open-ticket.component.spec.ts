import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { anError } from '../../testing/fixtures';
import { OpenTicketComponent } from './open-ticket.component';

describe('OpenTicketComponent', () => {
  const meterId = 'c3f5e4d6-0000-4000-8000-000000000001';
  let fixture: ComponentFixture<OpenTicketComponent>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [OpenTicketComponent],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(OpenTicketComponent);
    fixture.componentRef.setInput('meterId', meterId);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const submit = async (subject: string) => {
    const input = page().querySelector<HTMLInputElement>(
      '[data-testid="open-ticket-subject"]',
    ) as HTMLInputElement;
    input.value = subject;
    input.dispatchEvent(new Event('input'));
    page().querySelector<HTMLButtonElement>('[data-testid="open-ticket"]')?.click();
    await fixture.whenStable();
  };

  it('opens a ticket about the meter, captures its snapshot, then shows the ticket', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await submit('Reads zero since Monday');
    const created = backend.expectOne('/api/v1/tickets');
    expect(created.request.body).toEqual({ subject: 'Reads zero since Monday', meterId });
    created.flush({ id: 't-1' });
    const snapshot = backend.expectOne('/api/v1/tickets/t-1/snapshots');
    expect(snapshot.request.body).toEqual({ meterId });
    snapshot.flush({ id: 's-1' });
    expect(navigate).toHaveBeenCalledWith(['/tickets', 't-1']);
  });

  it("asks for a subject first, and shows the API's refusal", async () => {
    await submit('');
    backend.expectNone('/api/v1/tickets');
    expect(page().textContent).toContain('Required');

    await submit('Reads zero');
    backend
      .expectOne('/api/v1/tickets')
      .flush(anError(403, 'forbidden', 'Missing scope tickets:write'), {
        status: 403,
        statusText: 'Forbidden',
      });
    await fixture.whenStable();
    expect(page().querySelector('[data-testid="form-error"]')?.textContent).toContain(
      'Missing scope tickets:write',
    );
  });
});
