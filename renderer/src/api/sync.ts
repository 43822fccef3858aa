/**
 * Links, imports, syncs and a registry's events settings, through window.berth. Jobs are read
 * once and then kept current by their change events (api/live); while one runs it is also polled
 * now and then, so a missed event cannot leave a progress bar stuck.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportBody, JobView, LinkBody } from '../../../main/contract/types';
import { useToast } from '../components/Toasts';
import { berth, isNotFound } from './berth';
import { keys } from './keys';

const POLL_WHILE_RUNNING_MS = 2000;

export function isFinished(job: Pick<JobView, 'state'>): boolean {
  return job.state !== 'queued' && job.state !== 'running';
}

/** The most recent imports and syncs, newest first. */
export function useJobs() {
  return useQuery({
    queryKey: keys.jobs,
    queryFn: async () => (await berth().listJobs({ page: 1, page_size: 20 })).results,
    refetchInterval: (query) => (query.state.data?.some((job) => !isFinished(job)) ? POLL_WHILE_RUNNING_MS : false),
  });
}

export function useJob(id: string | null, initial?: JobView) {
  return useQuery({
    queryKey: keys.job(id ?? ''),
    queryFn: () => berth().getJob(id ?? ''),
    enabled: id !== null,
    ...(initial ? { initialData: initial } : {}),
    refetchInterval: (query) => (query.state.data && !isFinished(query.state.data) ? POLL_WHILE_RUNNING_MS : false),
  });
}

/** The job running for a repo's sync, if any (to show Sync now's progress after a reload too). */
export function useRunningSync(namespace: string, repoName: string): JobView | undefined {
  const jobs = useJobs();
  return jobs.data?.find((job) => job.kind === 'sync' && job.repo === `${namespace}/${repoName}` && !isFinished(job));
}

function useJobStarted() {
  const client = useQueryClient();
  return (job: JobView) => {
    client.setQueryData(keys.job(job.id), job);
    return client.invalidateQueries({ queryKey: keys.jobs, exact: true });
  };
}

export function useImport(registry: string) {
  const started = useJobStarted();
  return useMutation({
    mutationFn: (input: ImportBody) => berth().importRepositories(registry, input),
    onSuccess: (job) => started(job),
  });
}

export function useSyncRepo(namespace: string, repoName: string) {
  const started = useJobStarted();
  const toast = useToast();
  return useMutation({
    mutationFn: () => berth().syncRepo(namespace, repoName),
    onSuccess: (job) => started(job),
    onError: (error) => toast.error(error),
  });
}

export function useCancelJob() {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (id: string) => berth().cancelJob(id),
    onSuccess: (job) => {
      client.setQueryData(keys.job(job.id), job);
      return client.invalidateQueries({ queryKey: keys.jobs, exact: true });
    },
    onError: (error) => toast.error(error),
  });
}

export function useLinkRepo(namespace: string, repoName: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: LinkBody) => berth().linkRepo(namespace, repoName, input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.repo(namespace, repoName) }),
  });
}

export function useUnlinkRepo(namespace: string, repoName: string) {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: () => berth().unlinkRepo(namespace, repoName),
    onSuccess: () => {
      toast.success(`${namespace}/${repoName} is no longer linked; its tags stay.`);
      return client.invalidateQueries({ queryKey: keys.repo(namespace, repoName) });
    },
    onError: (error) => toast.error(error),
  });
}

export function useEventsConfig(registry: string) {
  return useQuery({ queryKey: keys.eventsConfig(registry), queryFn: () => berth().getEventsConfig(registry), retry: false });
}

/** A tag's details (digest, size, platforms, where it came from); asked only when `enabled`. */
export function useTagDetail(namespace: string, repoName: string, tag: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.tagDetail(namespace, repoName, tag),
    queryFn: () => berth().getTag(namespace, repoName, tag),
    enabled,
    retry: (count, error) => !isNotFound(error) && count < 1,
  });
}
