import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { DomainException } from '@gridwatch/server';

/** zxcvbn's 0..4 scale: 3 is "safely unguessable" against an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;

/** Who the password is for: their own email and name make a password easier to guess. */
export interface PasswordOwner {
  email: string;
  name: string;
}

let estimator: ZxcvbnFactory | undefined;

// Built on first use: loading the dictionaries takes a moment the CLI's migrate should not pay.
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

function userInputs(owner: PasswordOwner): string[] {
  const words = [owner.email, owner.name, ...`${owner.email} ${owner.name}`.split(/[\s@.+_-]+/)];
  return [...new Set(words.map((word) => word.toLowerCase()).filter((word) => word.length >= 3))];
}

/**
 * The one rule for a password a person chooses (sign-up, a user created by an owner, the CLI's
 * create-org): refused as `weak_password`, with zxcvbn's feedback as the message, below score 3.
 */
export function assertStrongPassword(password: string, owner: PasswordOwner): void {
  const result = zxcvbn().check(password, userInputs(owner));
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const { warning, suggestions } = result.feedback;
  const advice = [warning, ...suggestions].filter((text): text is string => Boolean(text));
  throw new DomainException(
    'weak_password',
    advice.length > 0
      ? `This password is too easy to guess. ${advice.join(' ')}`
      : 'This password is too easy to guess. Add more words that are less common.',
    { score: result.score, minimumScore: MIN_PASSWORD_SCORE, suggestions },
  );
}
