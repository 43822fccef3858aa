/** Where the Electron binary is, or null when it is not installed. */
export function electronBinary(): string | null;
/** Runs the electron package's download step; true when the binary is there afterwards. */
export function downloadElectronBinary(): boolean;
