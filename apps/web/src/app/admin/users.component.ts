import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { Role, ROLES } from '@gridwatch/contracts';
import { AuthService } from '../auth/auth.service';
import { apiErrorMessage } from '../shared/api-error';
import { applyApiErrors, controlMessage, type SaveFailure } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';
import { roleLabel } from '../shared/labels';
import { ListStateComponent } from '../shared/list-state.component';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { byName, ServerList } from '../shared/server-list';
import { AdminTabsComponent } from './admin-tabs.component';
import { UsersApiService, type CreatedUser, type UserView } from './users-api.service';

/** Owners manage their organization's users: invite or create, change role, disable. */
@Component({
  selector: 'app-users',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatTableModule,
    MatSortModule,
    ListPaginatorComponent,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ListStateComponent,
    SaveFailureComponent,
    AdminTabsComponent,
  ],
  templateUrl: './users.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersComponent {
  private readonly api = inject(UsersApiService);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly me = inject(AuthService).user;
  protected readonly roles = ROLES;
  protected readonly roleLabel = roleLabel;
  protected readonly columns = ['name', 'email', 'role', 'lastLoginAt', 'disabled'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly list = new ServerList<UserView>((params) => this.api.list(params), byName());
  protected readonly form = new FormGroup({
    email: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.email],
    }),
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    role: new FormControl<Role>(Role.Viewer, { nonNullable: true }),
    password: new FormControl('', { nonNullable: true }),
  });
  protected readonly saving = signal(false);
  protected readonly failure = signal<SaveFailure | null>(null);
  protected readonly created = signal<CreatedUser | null>(null);
  protected readonly rowError = signal<string | null>(null);

  constructor() {
    this.list.followSearch(this.search);
  }

  protected message(field: keyof typeof this.form.controls): string {
    return controlMessage(this.form.controls[field]);
  }

  protected create(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { password, ...value } = this.form.getRawValue();
    this.saving.set(true);
    this.failure.set(null);
    this.created.set(null);
    this.api.create(password ? { ...value, password } : value).subscribe({
      next: (user) => {
        this.saving.set(false);
        this.created.set(user);
        this.form.reset();
        this.list.reload();
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.failure.set(applyApiErrors(this.form, error));
      },
    });
  }

  protected changeRole(user: UserView, role: Role): void {
    this.apply(user, { role }, `${user.name} is now ${roleLabel(role)}`);
  }

  protected toggleDisabled(user: UserView): void {
    const disabled = !user.disabled;
    this.apply(user, { disabled }, `${user.name} is ${disabled ? 'disabled' : 'enabled'}`);
  }

  private apply(user: UserView, change: Partial<UserView>, done: string): void {
    this.rowError.set(null);
    this.api.update(user.id, change).subscribe({
      next: (updated) => {
        this.list.items.update((items) =>
          items.map((item) => (item.id === updated.id ? updated : item)),
        );
        this.snackBar.open(done, 'OK', { duration: 4000 });
      },
      error: (error: unknown) => {
        this.rowError.set(apiErrorMessage(error));
        this.list.reload();
      },
    });
  }
}
