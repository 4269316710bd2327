/**
 * Code samples of README.md and docs/*.md, extracted for the doc-sample test. A sample is a fenced block marked
 * `ts` or `tsx`. It may rely on the names the prelude (test/docs/prelude.d.ts) declares, the way a guide's
 * sample relies on the engine built in the guide's first sample; an HTML comment `<!-- sample: skip -->` on the
 * line before a block marks an intentionally partial snippet (it is then not compiled) and must say why;
 * `<!-- sample: throws CODE -->` marks a sample shown throwing a typed error when run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface DocSample {
  /** Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the first code line in the markdown file. */
  line: number;
  lang: 'ts' | 'tsx';
  code: string;
  skip: boolean;
  /** Why a skipped sample is not compiled (the text after `sample: skip`). */
  skipReason?: string;
  /** The error `code` the sample is shown to throw when run (`<!-- sample: throws CODE -->`). */
  throws?: string;
}

/** Every ts / tsx sample of README.md and docs/*.md (not docs/api, which typedoc generates). */
export function docSamples(repoRoot: string): DocSample[] {
  const files = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  const out: DocSample[] = [];
  for (const file of files) {
    const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(ts|tsx|typescript)\s*$/.exec(lines[i]!);
      if (!open) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
      const before = i > 0 ? lines[i - 1]! : '';
      const marker = /<!--\s*sample:\s*skip\b\s*(.*?)\s*-->/.exec(before);
      const throws = /<!--\s*sample:\s*throws\s+([A-Z_]+)\s*-->/.exec(before);
      out.push({
        file, line: start + 1, lang: open[1] === 'tsx' ? 'tsx' : 'ts', code: lines.slice(start, end).join('\n'),
        skip: marker !== null, ...(marker ? { skipReason: marker[1] } : {}), ...(throws ? { throws: throws[1] } : {}),
      });
      i = end;
    }
  }
  return out;
}
