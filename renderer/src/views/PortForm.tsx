/**
 * The API's port. A port the API cannot take (another program has it) changes nothing: the API
 * keeps listening where it was and the reason shows on the field, with Retry and a free port to
 * use instead. While the API is not listening at all, Apply is always available.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ServerInfo } from '../../../main/contract/types';
import { berth, toErrorBody } from '../api/berth';
import { keys } from '../api/keys';
import { useUpdateSettings } from '../api/mutations';
import { Field, fieldError } from '../components/Field';

interface Props {
  savedPort: number;
  info: ServerInfo;
  /** Focus the field when the dialog opens ("Choose another port…" in the status bar). */
  focusOnOpen?: boolean;
}

interface Refusal {
  port: number;
  detail: string;
}

const isPort = (value: number) => Number.isInteger(value) && value >= 1 && value <= 65535;

export function PortForm({ savedPort, info, focusOnOpen = false }: Props) {
  const [typed, setTyped] = useState(String(savedPort));
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const update = useUpdateSettings({ toastErrors: false });
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusOnOpen) input.current?.focus();
  }, [focusOnOpen]);

  const value = Number(typed);
  const valid = typed !== '' && isPort(value);
  // Not listening since start (the saved port was taken): the same report, on the field.
  const problem: Refusal | null = refusal ?? (!info.listening && info.error ? { port: info.port, detail: info.error.detail } : null);
  const shownProblem = problem && valid && value === problem.port ? problem : null;
  const suggestion = useQuery({
    queryKey: keys.portSuggestion(shownProblem?.port ?? 0),
    queryFn: () => berth().suggestPort(shownProblem?.port ?? savedPort),
    enabled: shownProblem !== null,
    staleTime: 0,
    gcTime: 0,
  });

  const apply = (port: number, { refocus = false } = {}) => {
    // The Retry and suggestion buttons go away once the port is taken: keep focus on the field.
    if (refocus) input.current?.focus();
    setRefusal(null);
    update.mutate(
      { api_port: port },
      {
        onError: (error) => {
          const body = toErrorBody(error);
          setRefusal({ port, detail: fieldError(body.errors, 'api_port') ?? body.detail });
        },
      },
    );
  };

  const error = !valid ? 'Ports are whole numbers from 1 to 65535.' : (shownProblem?.detail ?? null);
  const free = shownProblem && suggestion.data !== undefined && suggestion.data !== shownProblem.port ? suggestion.data : null;

  return (
    <form
      className="port-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) apply(value);
      }}
    >
      <Field label="Port" error={error} hint="Changing it restarts the API." announceError={shownProblem !== null}>
        {(p) => <input {...p} ref={input} inputMode="numeric" value={typed} onChange={(e) => setTyped(e.target.value.trim())} />}
      </Field>
      <button type="submit" disabled={!valid || update.isPending || (value === savedPort && info.listening)}>
        Apply port
      </button>
      {shownProblem ? (
        <div className="port-recovery">
          <button
            type="button"
            className="button-tiny"
            disabled={update.isPending}
            onClick={() => apply(shownProblem.port, { refocus: true })}
          >
            Retry
          </button>
          {free !== null ? (
            <button
              type="button"
              className="button-tiny"
              disabled={update.isPending}
              onClick={() => {
                setTyped(String(free));
                apply(free, { refocus: true });
              }}
            >
              Use port {free}
            </button>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
