/**
 * The value a settings control shows: the user's latest choice from the moment of the click
 * until that change has settled, then what the backend saved.
 *
 * The choice lives in React state because a controlled checkbox or select snaps back to its old
 * value at the end of the click unless the new one is rendered in the same event; the query
 * cache's news arrives a task later, so a second click in between would see (and send) the stale
 * value, and a test reading the box at once would find it unchanged.
 */
import { useCallback, useState } from 'react';
import type { Settings } from '../../../main/contract/types';
import { useUpdateSettings } from '../api/mutations';

export function useSettingChoice<K extends keyof Settings>(key: K, saved: Settings[K]): [Settings[K], (value: Settings[K]) => void] {
  const update = useUpdateSettings();
  const [choice, setChoice] = useState<{ value: Settings[K] } | null>(null);
  const { mutate } = update;
  const choose = useCallback(
    (value: Settings[K]) => {
      setChoice({ value });
      // mutate's own callbacks follow only the latest call: the choice is let go once the last
      // change has settled and its answer (or, after a refusal, the saved value) is in the cache.
      mutate({ [key]: value } as Partial<Settings>, { onSettled: () => setChoice(null) });
    },
    [key, mutate],
  );
  return [choice ? choice.value : saved, choose];
}
