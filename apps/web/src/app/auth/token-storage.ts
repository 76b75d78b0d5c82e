import { Injectable } from '@angular/core';
import type { TokenPair } from '@gridwatch/contracts';

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = 'gridwatch.session';

/**
 * The token pair, kept in sessionStorage: it survives a reload of the tab but not the tab itself,
 * and is never shared between tabs (each tab rotates its own single-use refresh token).
 */
@Injectable({ providedIn: 'root' })
export class TokenStorage {
  read(): StoredTokens | null {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredTokens>;
      if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') {
        return null;
      }
      return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
    } catch {
      return null;
    }
  }

  write(tokens: TokenPair | StoredTokens): void {
    const stored: StoredTokens = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  }

  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  }
}
