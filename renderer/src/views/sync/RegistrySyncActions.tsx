/** A registry view's Import… and Live updates… actions, with their dialogs. */
import { useState } from 'react';
import type { RegistryView } from '../../../../main/contract/types';
import { ImportDialog } from './ImportDialog';
import { LiveUpdatesDialog } from './LiveUpdatesPanel';

export function RegistrySyncActions({ registry }: { registry: RegistryView }) {
  const [open, setOpen] = useState<'import' | 'live' | null>(null);
  return (
    <>
      <button type="button" onClick={() => setOpen('import')}>
        Import…
      </button>
      <button type="button" onClick={() => setOpen('live')}>
        Live updates…
      </button>
      {open === 'import' ? <ImportDialog registry={registry} onClose={() => setOpen(null)} /> : null}
      {open === 'live' ? <LiveUpdatesDialog registry={registry} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
