import { describe, expect, it } from 'vitest';
import { chooseSecretCodec } from './secret-codec';

function keychain(options: { available: boolean; backend?: 'basic_text' | 'gnome_libsecret' | 'kwallet5' }) {
  return {
    isEncryptionAvailable: () => options.available,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (plain: string) => Buffer.from(`sealed:${[...plain].reverse().join('')}`),
    decryptString: (sealed: Buffer) => [...sealed.toString().replace(/^sealed:/, '')].reverse().join(''),
  };
}

describe("the app's secret codec", () => {
  it('seals with safeStorage where the OS keychain is there', () => {
    const { codec, warning } = chooseSecretCodec(keychain({ available: true }), 'linux');
    expect(warning).toBeNull();
    expect(codec.name).toBe('safeStorage');
    const sealed = codec.encrypt('hunter2');
    expect(sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed, 'base64').toString()).toBe('sealed:2retnuh');
    expect(codec.decrypt(sealed)).toBe('hunter2');
  });

  it("falls back to the plain codec, and says so, without a keychain or with Linux's built-in key", () => {
    const none = chooseSecretCodec(keychain({ available: false }), 'darwin');
    expect(none.codec.name).toBe('plain');
    expect(none.warning).toBe(
      "Electron's safeStorage is not available: registry passwords are kept in credentials.json protected only by its file mode (0600).",
    );
    const basic = chooseSecretCodec(keychain({ available: true, backend: 'basic_text' }), 'linux');
    expect(basic.codec.name).toBe('plain');
    expect(basic.warning).toMatch(/^No keyring \(libsecret or KWallet\) was found/);
    // basic_text is a Linux notion: elsewhere an available safeStorage is used.
    expect(chooseSecretCodec(keychain({ available: true, backend: 'basic_text' }), 'win32').codec.name).toBe('safeStorage');
  });
});
