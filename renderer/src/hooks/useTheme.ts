/** Applies the theme: the setting when it names one, otherwise the OS preference (live). */
import { useEffect, useSyncExternalStore } from 'react';
import type { ThemeSetting } from '../../../main/contract/types';

const query = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(query);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

const prefersDark = () => window.matchMedia(query).matches;

export function useTheme(setting: ThemeSetting | undefined): 'light' | 'dark' {
  const osDark = useSyncExternalStore(subscribe, prefersDark);
  const resolved = setting === 'light' || setting === 'dark' ? setting : osDark ? 'dark' : 'light';
  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
    document.documentElement.style.colorScheme = resolved;
  }, [resolved]);
  return resolved;
}
