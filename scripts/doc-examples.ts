// The files a guide tells its reader to create: fenced blocks whose info string names a file
// (````md file=src/analysis/page.md). The test build writes them into its fresh copy, so docs/authoring.md is
// built and opened in Chromium exactly as written.
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {dirname, join, normalize} from "node:path";

export interface DocExample {
  path: string;
  content: string;
}

export function docExamples(markdownPath: string): DocExample[] {
  const text = readFileSync(markdownPath, "utf8");
  const examples: DocExample[] = [];
  const fence = /^(`{3,}|~{3,})[\w-]* +file=(\S+)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of text.matchAll(fence)) {
    const path = normalize(match[2]!);
    if (path.startsWith("..") || path.startsWith("/")) throw new Error(`${markdownPath}: example file outside the project: ${path}`);
    examples.push({path, content: match[3]!});
  }
  if (!examples.length) throw new Error(`${markdownPath}: no file= blocks found`);
  return examples;
}

export function writeDocExamples(markdownPath: string, root: string): DocExample[] {
  const examples = docExamples(markdownPath);
  for (const {path, content} of examples) {
    mkdirSync(dirname(join(root, path)), {recursive: true});
    writeFileSync(join(root, path), content);
  }
  return examples;
}
