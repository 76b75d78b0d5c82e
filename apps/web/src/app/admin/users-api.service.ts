import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Page, Role } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';
import type { ListParams } from '../shared/server-list';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

/** Answered once on create: an invited user's one-time password. */
export interface CreatedUser extends UserView {
  temporaryPassword?: string;
}

export interface UserInput {
  email: string;
  name: string;
  role: Role;
  password?: string;
}

/** Users of the caller's organization (owners: `users:manage`). */
@Injectable({ providedIn: 'root' })
export class UsersApiService {
  private readonly http = inject(HttpClient);

  list(params: ListParams): Observable<Page<UserView>> {
    return this.http.get<Page<UserView>>(apiUrl('users'), { params });
  }

  create(input: UserInput): Observable<CreatedUser> {
    return this.http.post<CreatedUser>(apiUrl('users'), input);
  }

  update(
    id: string,
    change: Partial<Pick<UserView, 'name' | 'role' | 'disabled'>>,
  ): Observable<UserView> {
    return this.http.patch<UserView>(apiUrl(`users/${encodeURIComponent(id)}`), change);
  }
}
