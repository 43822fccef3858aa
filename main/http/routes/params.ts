/** Path parameter schemas (documentation only: names are judged by the registry's rules). */
import { Type } from '@sinclair/typebox';
import { NamespaceParam, RepoNameParam, TagParam } from '../../contract/schemas';

export const NamespacePath = Type.Object({ namespace: NamespaceParam });
export const RepoPath = Type.Object({ namespace: NamespaceParam, repo_name: RepoNameParam });
export const TagPath = Type.Object({ namespace: NamespaceParam, repo_name: RepoNameParam, tag: TagParam });

export interface NamespaceParams {
  namespace: string;
}
export interface RepoParams extends NamespaceParams {
  repo_name: string;
}
export interface TagParams extends RepoParams {
  tag: string;
}
