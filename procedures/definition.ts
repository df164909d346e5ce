// The definition language lives in the kernel (src/domain/kernel/definition.ts); procedures import it from here.
export * from '../src/domain/kernel/definition';
