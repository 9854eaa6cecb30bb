// The one typed contract between the renderer and the main process. It grows with the workstation
// issue; today it tells the renderer which shell it runs in.
import { contextBridge } from 'electron';

export interface ArbitraBridge {
  shell: 'electron';
  versions: { electron: string; chrome: string; node: string };
}

const bridge = {
  shell: 'electron',
  versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node },
} satisfies ArbitraBridge;

contextBridge.exposeInMainWorld('arbitra', bridge);
