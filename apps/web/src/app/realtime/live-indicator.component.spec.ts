import { TestBed } from '@angular/core/testing';
import { LiveIndicatorComponent } from './live-indicator.component';
import type { LiveConnection } from './realtime-session.service';

describe('LiveIndicatorComponent', () => {
  it.each<[LiveConnection, string, string]>([
    ['connecting', 'Connecting…', 'indicator-connecting'],
    ['live', 'Live', 'indicator-live'],
    ['reconnecting', 'Reconnecting…', 'indicator-reconnecting'],
    ['polling', 'Polling', 'indicator-polling'],
  ])('says %s in words', async (state, text, className) => {
    const fixture = TestBed.createComponent(LiveIndicatorComponent);
    fixture.componentRef.setInput('state', state);
    await fixture.whenStable();
    const indicator = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid="live-indicator"]',
    );
    expect(indicator?.textContent?.trim()).toBe(text);
    expect(indicator?.classList).toContain(className);
    expect(indicator?.getAttribute('role')).toBe('status');
  });
});
