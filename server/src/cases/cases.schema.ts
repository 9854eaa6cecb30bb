// The cases procedures take the same inputs the workstation's offline mutations do.
export * from '../../../shared/case-inputs';
