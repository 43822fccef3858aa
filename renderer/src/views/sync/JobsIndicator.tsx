/** The status bar's word on imports and syncs: how many run, and a list of recent ones with their progress. */
import { useState } from 'react';
import { toErrorBody } from '../../api/berth';
import { isFinished, useJobs } from '../../api/sync';
import { Dialog } from '../../components/Dialog';
import { RelativeTime } from '../../components/RelativeTime';
import { JobProgress, jobTitle } from './JobProgress';

export function JobsIndicator() {
  const jobs = useJobs();
  const [open, setOpen] = useState(false);
  if (!jobs.data || jobs.data.length === 0) return null;
  const running = jobs.data.filter((job) => !isFinished(job)).length;
  return (
    <>
      <button type="button" className="button-tiny jobs-indicator" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {running > 0 ? (
          <>
            <span className="job-spinner" aria-hidden="true" /> {running === 1 ? '1 job running' : `${running} jobs running`}
          </>
        ) : (
          'Jobs'
        )}
      </button>
      {open ? (
        <Dialog title="Imports and syncs" onClose={() => setOpen(false)} className="dialog-wide">
          {jobs.isError ? (
            <p className="error-text" role="alert">
              {toErrorBody(jobs.error).detail}
            </p>
          ) : (
            <ul className="job-list" aria-label="Recent jobs">
              {jobs.data.map((job) => (
                <li key={job.id} aria-label={jobTitle(job)}>
                  <div className="job-list-head">
                    <strong>{jobTitle(job)}</strong> <RelativeTime iso={job.created_at} />
                  </div>
                  <JobProgress job={job} />
                </li>
              ))}
            </ul>
          )}
          <div className="dialog-actions">
            <button type="button" data-autofocus onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
