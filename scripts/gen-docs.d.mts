/** Types of scripts/gen-docs.mjs for the tests that check generated pages are up to date. */
export interface Page {
  step: string;
  path: string;
  existing?: string;
  content: string;
}
export function expectedPages(): Page[];
export function expectedComponentPages(): Page[];
export function renderComponentPage(name: string, templateText: string): string;
