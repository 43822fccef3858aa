/** The registry dialogs the App opens: add, edit, remove. */
import type { RegistryView } from '../../../../main/contract/types';
import { RegistryDialog as RegistryForm } from './RegistryDialog';
import { RemoveRegistryDialog } from './RemoveRegistryDialog';

export type RegistryDialog =
  { kind: 'addRegistry' } | { kind: 'editRegistry'; registry: RegistryView } | { kind: 'removeRegistry'; registry: RegistryView };

interface Props {
  dialog: { kind: string } | null;
  onClose(): void;
  onSaved(registry: RegistryView): void;
  onRemoved(name: string): void;
}

export function RegistryDialogs({ dialog, onClose, onSaved, onRemoved }: Props) {
  const open = dialog as RegistryDialog | null;
  switch (open?.kind) {
    case 'addRegistry':
      return <RegistryForm onClose={onClose} onSaved={onSaved} />;
    case 'editRegistry':
      return <RegistryForm key={open.registry.name} registry={open.registry} onClose={onClose} onSaved={onSaved} />;
    case 'removeRegistry':
      return <RemoveRegistryDialog registry={open.registry} onClose={onClose} onRemoved={() => onRemoved(open.registry.name)} />;
    default:
      return null;
  }
}
