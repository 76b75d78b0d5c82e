import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { CredentialView, IssuedCredential } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiError, apiErrorMessage } from '../shared/api-error';
import { DevicesApiService, type CredentialOwner } from './devices-api.service';

/** The device's credential: the state of it, or none yet, or why it could not be read. */
type CredentialState =
  | { state: 'loading' }
  | { state: 'none' }
  | { state: 'ready'; credential: CredentialView }
  | { state: 'failed'; message: string };

/**
 * A gateway's or direct meter's device credential: issue, rotate; the secret is shown once. For
 * holders of devices:write only (the API's scope for every credential endpoint).
 */
@Component({
  selector: 'app-credential-panel',
  imports: [MatDialogModule],
  template: `
    <section class="card section" aria-labelledby="credential-title">
      <h2 id="credential-title">Device credential</h2>
      @switch (credential().state) {
        @case ('loading') {
          <p role="status">Loading…</p>
        }
        @case ('none') {
          <p class="muted" data-testid="credential-none">No credential issued yet.</p>
        }
        @case ('failed') {
          <div class="alert alert-error" role="alert">{{ failure() }}</div>
        }
        @case ('ready') {
          @if (current(); as credential) {
            <dl class="details-grid">
              <div>
                <dt>Device ID (X-Device-ID)</dt>
                <dd class="mono" data-testid="credential-device-id">{{ credential.deviceId }}</dd>
              </div>
              <div>
                <dt>Issued</dt>
                <dd>{{ credential.createdAt }}</dd>
              </div>
              <div>
                <dt>Last rotated</dt>
                <dd>{{ credential.rotatedAt ?? 'Never' }}</dd>
              </div>
              @if (credential.previousValidUntil) {
                <div>
                  <dt>Previous secret valid until</dt>
                  <dd>{{ credential.previousValidUntil }}</dd>
                </div>
              }
            </dl>
          }
        }
      }
      @if (actionError(); as message) {
        <div class="alert alert-error" role="alert" data-testid="credential-error">
          {{ message }}
        </div>
      }
      <div class="page-actions">
        @if (credential().state === 'none') {
          <button
            type="button"
            class="btn btn-primary"
            (click)="issue()"
            [disabled]="busy()"
            data-testid="credential-issue"
          >
            Issue credential
          </button>
        }
        @if (credential().state === 'ready') {
          <button
            type="button"
            class="btn btn-secondary"
            (click)="rotate()"
            [disabled]="busy()"
            data-testid="credential-rotate"
          >
            Rotate secret
          </button>
        }
      </div>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CredentialPanelComponent {
  private readonly api = inject(DevicesApiService);
  private readonly dialog = inject(MatDialog);
  readonly owner = input.required<CredentialOwner>();
  readonly ownerId = input.required<string>();
  protected readonly credential = signal<CredentialState>({ state: 'loading' });
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);

  constructor() {
    effect(() => this.load(this.owner(), this.ownerId()));
  }

  protected current(): CredentialView | null {
    const credential = this.credential();
    return credential.state === 'ready' ? credential.credential : null;
  }

  protected failure(): string {
    const credential = this.credential();
    return credential.state === 'failed' ? credential.message : '';
  }

  protected issue(): void {
    this.run(this.api.issueCredential(this.owner(), this.ownerId()));
  }

  protected rotate(): void {
    this.run(this.api.rotateCredential(this.owner(), this.ownerId()));
  }

  private run(request: Observable<IssuedCredential>): void {
    this.busy.set(true);
    this.actionError.set(null);
    request.subscribe({
      next: (issued) => {
        this.busy.set(false);
        const { secret, ...credential } = issued;
        this.credential.set({ state: 'ready', credential });
        this.dialog.open(SecretDialogComponent, {
          data: { deviceId: issued.deviceId, secret },
          disableClose: true,
          autoFocus: 'dialog',
        });
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.actionError.set(apiErrorMessage(error));
      },
    });
  }

  private load(owner: CredentialOwner, id: string): void {
    this.credential.set({ state: 'loading' });
    this.api.getCredential(owner, id).subscribe({
      next: (credential) => this.credential.set({ state: 'ready', credential }),
      error: (error: unknown) =>
        this.credential.set(
          apiError(error)?.error === 'credential_not_found'
            ? { state: 'none' }
            : { state: 'failed', message: apiErrorMessage(error) },
        ),
    });
  }
}

/** The new secret, once: copy it now, it cannot be shown again. */
@Component({
  selector: 'app-secret-dialog',
  imports: [MatDialogModule],
  template: `
    <h2 mat-dialog-title>Copy the secret now</h2>
    <mat-dialog-content>
      <p>This is the only time the secret is shown. Store it in the device's configuration.</p>
      <p>
        Device ID: <span class="mono" data-testid="secret-device-id">{{ data.deviceId }}</span>
      </p>
      <label class="field">
        <span>Secret</span>
        <input class="mono" readonly [value]="data.secret" data-testid="secret-value" />
      </label>
      @if (copied()) {
        <p role="status" class="muted">Copied to the clipboard.</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button type="button" class="btn btn-secondary" (click)="copy()" data-testid="secret-copy">
        Copy
      </button>
      <button type="button" class="btn btn-primary" mat-dialog-close data-testid="secret-done">
        I have stored it
      </button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SecretDialogComponent {
  protected readonly data = inject<{ deviceId: string; secret: string }>(MAT_DIALOG_DATA);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly copied = signal(false);

  protected copy(): void {
    const ok = this.clipboard.copy(this.data.secret);
    this.copied.set(ok);
    if (!ok) this.snackBar.open('Copying failed: select the secret and copy it by hand', 'OK');
  }
}
