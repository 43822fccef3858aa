/** What main/sync needs of the registry: its service and the record types of links and tags. */
export type { RegistryService } from './service';
export type { ImageRecord, LinkRecord, RemoteTagChanges, TagRecord } from './remote-writes';
