// Node has the WebAssembly JavaScript API as a global, but @types/node does not declare it (the DOM
// library does, and tsconfig.node.json has no DOM). The part Node code here uses:
// server/src/evidence/chunk-writer.ts takes page-aligned staging memory from WebAssembly.Memory.
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  const Memory: {
    prototype: Memory;
    new (descriptor: MemoryDescriptor): Memory;
  };
}
