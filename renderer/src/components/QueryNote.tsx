import { toErrorBody } from '../api/berth';

/** What a list or panel shows while its query reads (a status line) or after it failed (its error, as an alert). */
export function QueryNote({ query, reading }: { query: { isError: boolean; error: unknown }; reading: string }) {
  return query.isError ? (
    <p className="list-note error-text" role="alert">
      {toErrorBody(query.error).detail}
    </p>
  ) : (
    <p className="list-note" role="status">
      {reading}
    </p>
  );
}
