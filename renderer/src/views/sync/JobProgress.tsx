/** One import or sync as it runs: a progress bar with Cancel, then what it did and each item's error. */
import type { JobView } from '../../../../main/contract/types';
import { isFinished, useCancelJob } from '../../api/sync';

const number = new Intl.NumberFormat();

const UNIT: Record<JobView['kind'], [string, string]> = { import: ['repository', 'repositories'], sync: ['tag', 'tags'] };

export function jobTitle(job: JobView): string {
  return job.kind === 'import' ? `Import from ${job.registry}` : `Sync of ${job.repo ?? job.registry}`;
}

export function jobSummary(job: JobView): string {
  const [one, many] = UNIT[job.kind];
  const { done, total } = job.progress;
  const items = `${number.format(done)} of ${number.format(total)} ${total === 1 ? one : many}`;
  switch (job.state) {
    case 'queued':
      return 'Waiting to start…';
    case 'running':
      return total > 0 ? `${items}…` : 'Reading the registry…';
    case 'succeeded':
      return job.errors.length > 0 ? `Finished: ${items}, ${job.errors.length} with errors.` : `Finished: ${items}.`;
    case 'cancelled':
      return `Cancelled after ${items}; what was done stays.`;
    case 'failed':
      return `Failed${job.detail ? `: ${job.detail}` : '.'}`;
  }
}

interface Props {
  job: JobView;
  /** Shown as the progress bar's name; the job's title by default. */
  label?: string;
}

export function JobProgress({ job, label }: Props) {
  const cancel = useCancelJob();
  const finished = isFinished(job);
  const name = label ?? jobTitle(job);
  return (
    <div className={`job-progress job-${job.state}`}>
      {finished ? null : (
        <div className="job-progress-bar">
          <progress
            aria-label={name}
            max={Math.max(job.progress.total, 1)}
            // Without a total yet, an indeterminate bar.
            value={job.progress.total > 0 ? job.progress.done : undefined}
          />
          <button type="button" className="button-small" disabled={cancel.isPending} onClick={() => cancel.mutate(job.id)}>
            {cancel.isPending ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      <p className={`job-summary ${job.state === 'failed' ? 'error-text' : ''}`} role="status">
        {jobSummary(job)}
      </p>
      {job.errors.length > 0 ? (
        <details className="job-errors" open={finished}>
          <summary>
            {job.errors.length === 1 ? '1 item' : `${number.format(job.errors.length)} items`} could not be{' '}
            {job.kind === 'import' ? 'imported' : 'synced'}
          </summary>
          <ul aria-label="Errors">
            {job.errors.map((error) => (
              <li key={`${error.item}:${error.detail}`}>
                <code>{error.item}</code>: {error.detail}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
