/**
 * Registry passwords in the app are sealed with Electron's safeStorage (the OS keychain: Keychain,
 * DPAPI, libsecret/KWallet). Where it has no real keyring — unavailable, or Linux's `basic_text`
 * fallback, whose key is a constant — Berth keeps them with the plain codec, protected by
 * credentials.json's mode (0600), and says so once at start.
 */
import type { SafeStorage } from 'electron';
import { PLAIN_CODEC, type SecretCodec } from '../backend.options';

export const SAFE_STORAGE_CODEC_NAME = 'safeStorage';

type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

export interface SecretSealing {
  codec: SecretCodec;
  /** Why secrets are not sealed by the keychain; null when they are. */
  warning: string | null;
}

export function chooseSecretCodec(safeStorage: SafeStorageApi, platform: NodeJS.Platform = process.platform): SecretSealing {
  const fallback = (why: string): SecretSealing => ({
    codec: PLAIN_CODEC,
    warning: `${why}: registry passwords are kept in credentials.json protected only by its file mode (0600).`,
  });
  if (!safeStorage.isEncryptionAvailable()) return fallback("Electron's safeStorage is not available");
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return fallback('No keyring (libsecret or KWallet) was found, and safeStorage would only use a built-in key');
  }
  return {
    codec: {
      name: SAFE_STORAGE_CODEC_NAME,
      encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
      decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
    },
    warning: null,
  };
}
