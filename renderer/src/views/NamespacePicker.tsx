/**
 * The create-repo dialog's Namespace field: a combobox over the existing namespaces. A name that
 * does not exist yet is only used after the explicit "Create namespace “x”" choice, so a typo
 * (acmee for acme) cannot make a namespace by accident.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { validateNamespace } from '../../../main/contract/names';

interface Props {
  inputProps: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
  namespaces: readonly string[];
  value: string;
  /** True once "Create namespace" was chosen for the value as it is now. */
  creating: boolean;
  autoFocus: boolean;
  onChange(value: string, creating: boolean): void;
}

/** At most this many namespaces are listed; typing narrows them. */
const LISTED = 50;

export function NamespacePicker({ inputProps, namespaces, value, creating, autoFocus, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const id = useId();

  const typed = value.trim();
  const exists = namespaces.includes(typed);
  const matches = namespaces.filter((n) => n.includes(typed.toLowerCase())).slice(0, LISTED);
  const offerCreate = typed !== '' && !exists && validateNamespace(typed) === null;
  const options: { value: string; create: boolean }[] = [
    ...matches.map((n) => ({ value: n, create: false })),
    ...(offerCreate ? [{ value: typed, create: true }] : []),
  ];
  const expanded = open && options.length > 0;
  const activeOption = expanded && active >= 0 ? options[active] : undefined;
  const optionId = (index: number) => `${id}-option-${index}`;

  const choose = (option: { value: string; create: boolean }) => {
    onChange(option.value, option.create);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(event.key === 'ArrowDown' ? 0 : options.length - 1);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (options.length === 0 ? -1 : (current + step + options.length) % options.length));
    } else if (event.key === 'Enter' && activeOption) {
      event.preventDefault();
      choose(activeOption);
    } else if (event.key === 'Escape' && expanded) {
      // Close the list, not the dialog.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="combobox">
      <input
        {...inputProps}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${id}-listbox`}
        aria-activedescendant={activeOption ? optionId(active) : undefined}
        data-autofocus={autoFocus ? true : undefined}
        value={value}
        autoComplete="off"
        spellCheck={false}
        placeholder="Choose or type a namespace"
        onChange={(e) => {
          onChange(e.target.value, false);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <ul id={`${id}-listbox`} role="listbox" aria-label="Namespaces" className="combobox-list" hidden={!expanded}>
        {options.map((option, index) => (
          <li
            key={`${option.create ? 'create:' : ''}${option.value}`}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            className={`combobox-option ${index === active ? 'combobox-option-active' : ''} ${option.create ? 'combobox-create' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(option)}
          >
            {option.create ? `Create namespace “${option.value}”` : option.value}
          </li>
        ))}
      </ul>
      {creating && offerCreate ? <div className="field-hint">A new namespace {typed} is created with this repository.</div> : null}
    </div>
  );
}

/** The closest existing namespace to a typo, if any is close (at most two edits away). */
export function closestNamespace(typed: string, namespaces: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of namespaces) {
    const distance = editDistance(typed, name, 2);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

/** Levenshtein distance, giving up (answering limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
