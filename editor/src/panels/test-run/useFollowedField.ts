import { useState } from 'react';

/**
 * A form field that shows `followed` (the trigger's value) until the marketer types in it: changing the trigger
 * then updates the field, but never overwrites what was typed.
 */
export function useFollowedField(followed: string) {
  const [typed, setTyped] = useState<string | null>(null);
  return {
    value: typed ?? followed,
    following: typed === null,
    set: (value: string) => setTyped(value),
    follow: () => setTyped(null),
  };
}
