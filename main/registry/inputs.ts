/**
 * The rules on what a create or an update may carry. The adapters have checked the shapes against
 * the contract's schemas already; these rules hold for any caller (tests and future callers inside
 * the backend included): unknown or read-only fields are refused, not silently ignored, and every
 * bad field is named in one validation_error.
 */
import { BerthError } from '../contract/errors';
import {
  assertValid,
  validateDescription,
  validateFullDescription,
  validateIsPublic,
  validateNamespace,
  validateRepoName,
} from '../contract/names';
import { CreateRepoBody, UpdateRepoBody, type CreateRepoInput, type UpdateRepoInput } from '../contract/schemas';
import { validateBuildConfig } from './build-config';

const CREATE_FIELDS: ReadonlySet<string> = new Set(Object.keys(CreateRepoBody.properties));
const UPDATE_FIELDS: ReadonlySet<string> = new Set(Object.keys(UpdateRepoBody.properties));

function isPlainObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unknown or read-only fields are refused, not silently ignored. */
function refuseUnknownFields(input: object, allowed: ReadonlySet<string>): void {
  const errors: Record<string, string> = {};
  for (const key of Object.keys(input)) {
    if (!allowed.has(key)) errors[key] = 'This field is unknown or read-only.';
  }
  assertValid(errors);
}

/** Throws a validation_error naming every bad field of a new repo. */
export function checkCreateInput(namespace: string, input: CreateRepoInput): void {
  if (!isPlainObject(input)) throw BerthError.validation({ repo_name: ['This field is required.'] });
  refuseUnknownFields(input, CREATE_FIELDS);
  const repoName = input.repo_name;
  const nsError = validateNamespace(namespace);
  assertValid({
    namespace:
      nsError ??
      (input.namespace !== undefined && input.namespace !== namespace
        ? `The namespace in the body (${String(input.namespace)}) must match the one in the path (${namespace}).`
        : null),
    repo_name: repoName === undefined ? 'This field is required.' : validateRepoName(repoName, nsError ? undefined : namespace),
    description: input.description === undefined ? null : validateDescription(input.description),
    full_description: input.full_description === undefined ? null : validateFullDescription(input.full_description),
    is_public: input.is_public === undefined ? null : validateIsPublic(input.is_public),
    build_config: input.build_config === undefined ? null : validateBuildConfig(input.build_config),
  });
}

/** Throws a validation_error naming every bad field of an update. */
export function checkUpdatePatch(patch: UpdateRepoInput): void {
  if (!isPlainObject(patch)) throw BerthError.validation({ description: ['Send the fields to change.'] });
  refuseUnknownFields(patch, UPDATE_FIELDS);
  assertValid({
    description: patch.description === undefined ? null : validateDescription(patch.description),
    full_description: patch.full_description === undefined ? null : validateFullDescription(patch.full_description),
    is_public: patch.is_public === undefined ? null : validateIsPublic(patch.is_public),
    build_config: patch.build_config === undefined ? null : validateBuildConfig(patch.build_config),
  });
}
