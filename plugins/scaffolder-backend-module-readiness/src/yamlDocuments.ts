import { Document } from 'yaml';

/** Writes parsed YAML documents back as one multi-document file, keeping comments. */
export function stringifyDocuments(documents: ReadonlyArray<Document>): string {
  return documents
    .map((document, i) => {
      const text = document.toString({ lineWidth: 0 });
      return i > 0 && !text.startsWith('---') ? `---\n${text}` : text;
    })
    .join('');
}
