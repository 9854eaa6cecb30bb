// File names of evidence are labels a person reads, never paths: storage is by content hash.
// A name with a path, a traversal or control characters is refused rather than silently changed.
export type FileNameProblem = 'file_name_empty' | 'file_name_path' | 'file_name_control' | 'file_name_too_long';

export function fileNameProblem(raw: string): FileNameProblem | null {
  const name = raw.normalize('NFC');
  if (name.trim() === '' || name === '.' || name === '..') return 'file_name_empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name)) return 'file_name_control';
  if (/[/\\]/.test(name) || name.startsWith('.') || /^[A-Za-z]:/.test(name)) return 'file_name_path';
  if (Buffer.byteLength(name, 'utf8') > 255) return 'file_name_too_long';
  return null;
}

export function cleanFileName(raw: string): string {
  return raw.normalize('NFC').trim();
}
