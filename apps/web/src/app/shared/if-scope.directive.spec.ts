import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Scope } from '@gridwatch/contracts';
import { aUser } from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { IfScopeDirective } from './if-scope.directive';

@Component({
  imports: [IfScopeDirective],
  template: `<button *appIfScope="Scope.DevicesWrite" data-testid="add-meter">Add meter</button>`,
})
class HostComponent {
  protected readonly Scope = Scope;
}

describe('IfScopeDirective', () => {
  async function renderFor(role: 'viewer' | 'operator'): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      imports: [HostComponent],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(AuthService).loadUser().subscribe();
    TestBed.inject(HttpTestingController).expectOne('/api/v1/auth/me').flush(aUser({ role }));
    const fixture = TestBed.createComponent(HostComponent);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('hides a write button from a viewer', async () => {
    const host = await renderFor('viewer');
    expect(host.querySelector('[data-testid="add-meter"]')).toBeNull();
  });

  it('shows it to an operator, who holds devices:write', async () => {
    const host = await renderFor('operator');
    expect(host.querySelector('[data-testid="add-meter"]')).not.toBeNull();
  });
});
