import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { provideRouter } from '@angular/router';
import { aUser } from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { DeviceListHeaderComponent } from './device-list-header.component';

@Component({
  imports: [DeviceListHeaderComponent],
  template: `
    <app-device-list-header
      title="Gateways"
      subtitle="Routers"
      addLabel="Add gateway"
      addTestId="add-gateway"
      searchLabel="Search name or serial"
      [search]="search"
    >
      <span data-testid="own-filter">Protocol</span>
    </app-device-list-header>
  `,
})
class GatewayListHost {
  readonly search = new FormControl('', { nonNullable: true });
}

describe('DeviceListHeaderComponent', () => {
  async function renderFor(role: 'viewer' | 'operator') {
    TestBed.configureTestingModule({
      imports: [GatewayListHost],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    TestBed.inject(AuthService).loadUser().subscribe();
    TestBed.inject(HttpTestingController).expectOne('/api/v1/auth/me').flush(aUser({ role }));
    const fixture = TestBed.createComponent(GatewayListHost);
    await fixture.whenStable();
    return { fixture, page: fixture.nativeElement as HTMLElement };
  }

  it('offers "Add gateway" to an operator, and the search box beside the list\'s own filters', async () => {
    const { fixture, page } = await renderFor('operator');
    expect(page.querySelector('h1')?.textContent).toBe('Gateways');
    expect(page.querySelector('[data-testid="add-gateway"]')?.textContent).toBe('Add gateway');
    expect(page.querySelector('.filters mat-label')?.textContent).toBe('Search name or serial');
    expect(page.querySelector('.filters [data-testid="own-filter"]')).not.toBeNull();

    const box = page.querySelector<HTMLInputElement>(
      '[data-testid="filter-q"]',
    ) as HTMLInputElement;
    box.value = 'GW-01';
    box.dispatchEvent(new Event('input'));
    expect(fixture.componentInstance.search.value).toBe('GW-01');
  });

  it('hides "Add gateway" from a viewer', async () => {
    const { page } = await renderFor('viewer');
    expect(page.querySelector('[data-testid="add-gateway"]')).toBeNull();
  });
});
