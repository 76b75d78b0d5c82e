import { Directive, effect, inject, input, TemplateRef, ViewContainerRef } from '@angular/core';
import type { Scope } from '@gridwatch/contracts';
import { AuthService } from '../auth/auth.service';

/**
 * Renders its element only for users holding the scope, the same constant the API checks:
 * `<button *appIfScope="Scope.DevicesWrite">`. Hiding is a courtesy; the API still refuses.
 */
@Directive({ selector: '[appIfScope]' })
export class IfScopeDirective {
  private readonly auth = inject(AuthService);
  private readonly template = inject(TemplateRef<unknown>);
  private readonly container = inject(ViewContainerRef);
  private rendered = false;

  readonly appIfScope = input.required<Scope>();

  constructor() {
    effect(() => {
      const allowed = this.auth.can(this.appIfScope());
      if (allowed && !this.rendered) this.container.createEmbeddedView(this.template);
      if (!allowed && this.rendered) this.container.clear();
      this.rendered = allowed;
    });
  }
}
