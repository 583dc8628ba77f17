import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { ROOT } from "./paths";

/**
 * Who uses each export of the app's production modules (`app/**` and `extensions/<name>/src/**`, tests left out),
 * read from the source in about a second (tests/integration/unused-exports.test.ts): imports are read from every
 * module, test and test helper of the repository; a module's own uses of a name are found by TypeScript's binder
 * (a program that resolves nothing and type-checks nothing, so it is fast), so a property or a parameter of the same
 * spelling is not mistaken for the name.
 *
 * What it follows: named, default and type imports; `import * as ns` (each `ns.name`, or every name when `ns` is
 * used as a whole); `export { a as b } from` and `export * from` (a re-exported name is used when its new name is);
 * `import("…")` whose result is destructured (those names) or kept whole (every name: `loadPubSubConsumer` hands
 * the Pub/Sub consumer module to scripts/consume-pubsub.mjs that way; a whole module kept in a variable counts as
 * `import * as`); `import("…").then(({ a }) => …)`; `typeof import("…")` (every name) and `typeof import("…").a`.
 * `vi.mock("…")` uses no name by itself. Paths resolve as TypeScript and Vite do:
 * `~/` is `app/`, relative paths, `.ts` / `.tsx` / `index` added.
 */
export type Exported = {
  /** Repository-relative path of the module that exports it. */
  file: string;
  name: string;
  line: number;
  /** A type or interface (erased at build time). */
  type: boolean;
  /** Remix, the server build or an extension's TOML reads it by name (`frameworkReads`). */
  framework: boolean;
  /** The module itself refers to it (beyond its declaration and export). */
  usedInside: boolean;
  /** The comment right above the declaration (JSDoc or line comments), "" when none. */
  comment: string;
  /** Production modules (outside this one) that import it, directly or through a re-export; "(framework)" when a re-export gives it a name Remix or the build reads. */
  prodUsers: string[];
  /** Tests and test helpers that import it. */
  testUsers: string[];
};

const SKIP_DIRS = new Set(["node_modules", "build", "build-demo", "tmp", "test-results", "reports", "dist", ".git", ".node", ".postgres", ".shopify", "fixtures"]);
const SOURCE = /\.(ts|tsx)$/;

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".stryker-tmp") || SKIP_DIRS.has(entry.name) || /\.tmp\.\w+$/.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, found);
    else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) found.push(full);
  }
  return found;
}

export const isTestFile = (file: string) => /\.test\.tsx?$/.test(file) || file.startsWith("tests/");
export const isProductionFile = (file: string) =>
  (file.startsWith("app/") || /^extensions\/[^/]+\/src\//.test(file)) && SOURCE.test(file) && !isTestFile(file);

function resolveModule(fromFile: string, specifier: string, known: Set<string>): string | null {
  let base: string;
  if (specifier.startsWith("~/")) base = `app/${specifier.slice(2)}`;
  else if (specifier.startsWith("./") || specifier.startsWith("../")) base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) if (known.has(candidate)) return candidate;
  return null;
}

const hasExportModifier = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDefaultModifier = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

function bindingNames(name: ts.BindingName, out: ts.Identifier[] = []): ts.Identifier[] {
  if (ts.isIdentifier(name)) out.push(name);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, out);
  return out;
}

function leadingComment(sf: ts.SourceFile, node: ts.Node): string {
  const statement = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  const ranges = ts.getLeadingCommentRanges(sf.text, statement.pos) ?? [];
  return ranges.map((r) => sf.text.slice(r.pos, r.end)).join("\n");
}

type Declared = { name: string; node: ts.Node; nameNode: ts.Node | null; type: boolean };
type Reexport = { from: string; name: string; as: string };
type Use = { file: string; target: string; name: string | "*" };

export function moduleExports(root = ROOT): Exported[] {
  const files = sourceFiles(root).map((f) => path.relative(root, f).split(path.sep).join("/"));
  const known = new Set(files);
  const program = ts.createProgram({
    rootNames: files.filter(isProductionFile).map((f) => path.join(root, f)),
    options: { noResolve: true, noLib: true, types: [], allowJs: false, jsx: ts.JsxEmit.ReactJSX, noEmit: true },
  });
  const checker = program.getTypeChecker();

  const declared = new Map<string, Declared[]>();
  const reexports = new Map<string, Reexport[]>();
  const uses: Use[] = [];

  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const production = isProductionFile(file);
    const sf = production
      ? program.getSourceFile(path.join(root, file))!
      : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const own: Declared[] = [];
    const namespaces = new Map<string, string>();
    const record = (target: string | null, name: string | "*") => {
      if (target) uses.push({ file, target, name });
    };

    for (const statement of sf.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const target = resolveModule(file, statement.moduleSpecifier.text, known);
        const clause = statement.importClause;
        if (!clause) continue;
        if (clause.name) record(target, "default");
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) record(target, (el.propertyName ?? el.name).text);
        if (bindings && ts.isNamespaceImport(bindings) && target) namespaces.set(bindings.name.text, target);
      } else if (ts.isExportDeclaration(statement)) {
        const target =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? resolveModule(file, statement.moduleSpecifier.text, known) : null;
        if (statement.moduleSpecifier && !statement.exportClause) {
          record(target, "*");
          continue;
        }
        if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
        for (const el of statement.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (statement.moduleSpecifier) {
            if (target) (reexports.get(file) ?? reexports.set(file, []).get(file)!).push({ from: target, name: local, as: el.name.text });
          } else own.push({ name: el.name.text, node: el, nameNode: null, type: statement.isTypeOnly || el.isTypeOnly });
        }
      } else if (ts.isExportAssignment(statement)) {
        own.push({ name: "default", node: statement, nameNode: null, type: false });
      } else if (hasExportModifier(statement)) {
        const isDefault = hasDefaultModifier(statement);
        if (ts.isVariableStatement(statement)) {
          for (const decl of statement.declarationList.declarations) for (const id of bindingNames(decl.name)) own.push({ name: id.text, node: decl, nameNode: id, type: false });
        } else if (
          ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isEnumDeclaration(statement)
        ) {
          const type = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
          own.push({ name: isDefault ? "default" : statement.name!.text, node: statement, nameNode: statement.name ?? null, type });
        }
      }
    }

    // Dynamic imports, `typeof import("…")` and uses of namespace imports, anywhere in the file.
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        const target = arg && ts.isStringLiteral(arg) ? resolveModule(file, arg.text, known) : null;
        let parent = node.parent;
        if (parent && ts.isAwaitExpression(parent)) parent = parent.parent;
        // `import("m").then(({ a }) => …)`: the names the callback takes.
        const then =
          ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === "then" && ts.isCallExpression(node.parent.parent)
            ? node.parent.parent.arguments[0]
            : undefined;
        const taken =
          parent && ts.isVariableDeclaration(parent)
            ? parent.name
            : then && (ts.isArrowFunction(then) || ts.isFunctionExpression(then))
              ? then.parameters[0]?.name
              : undefined;
        if (taken && ts.isObjectBindingPattern(taken)) {
          for (const el of taken.elements) {
            const key = el.propertyName ?? el.name;
            record(target, ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : "*");
          }
        } else if (taken && ts.isIdentifier(taken) && target) namespaces.set(taken.text, target);
        else record(target, "*");
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        const target = resolveModule(file, node.argument.literal.text, known);
        record(target, node.qualifier ? (ts.isIdentifier(node.qualifier) ? node.qualifier.text : node.qualifier.left.getText(sf)) : "*");
      } else if (ts.isIdentifier(node) && namespaces.has(node.text) && !ts.isNamespaceImport(node.parent)) {
        const target = namespaces.get(node.text)!;
        const parent = node.parent;
        if ((ts.isPropertyAccessExpression(parent) && parent.expression === node) || (ts.isQualifiedName(parent) && parent.left === node)) {
          record(target, ts.isPropertyAccessExpression(parent) ? parent.name.text : parent.right.text);
        } else record(target, "*");
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (production) declared.set(file, own);
  }

  // Direct users of each (module, name); "*" means every name of the module.
  const users = new Map<string, Set<string>>();
  for (const u of uses) {
    const key = `${u.target}#${u.name}`;
    (users.get(key) ?? users.set(key, new Set()).get(key)!).add(u.file);
  }
  const direct = (file: string, name: string) => new Set([...(users.get(`${file}#${name}`) ?? []), ...(users.get(`${file}#*`) ?? [])]);

  const seen = new Set<string>();
  function allUsers(file: string, name: string): Set<string> {
    const key = `${file}#${name}`;
    if (seen.has(key)) return new Set();
    seen.add(key);
    const found = direct(file, name);
    for (const [reexporter, list] of reexports) {
      for (const r of list) {
        if (r.from !== file || r.name !== name) continue;
        if (frameworkReads(reexporter, r.as)) found.add("(framework)");
        for (const user of allUsers(reexporter, r.as)) found.add(user);
      }
    }
    seen.delete(key);
    return found;
  }

  const result: Exported[] = [];
  for (const [file, own] of declared) {
    const sf = program.getSourceFile(path.join(root, file))!;
    const insideUses = localUses(sf, checker, own);
    for (const d of own) {
      const everyone = [...allUsers(file, d.name)].filter((u) => u !== file);
      result.push({
        file,
        name: d.name,
        line: sf.getLineAndCharacterOfPosition(d.node.getStart(sf)).line + 1,
        type: d.type,
        framework: frameworkReads(file, d.name),
        // (`export default x` exports a local the module declares, and so uses)
        usedInside: insideUses.has(d) || (ts.isExportAssignment(d.node) && ts.isIdentifier(d.node.expression)),
        comment: leadingComment(sf, d.node),
        prodUsers: everyone.filter((u) => u === "(framework)" || isProductionFile(u)).sort(),
        testUsers: everyone.filter((u) => u !== "(framework)" && isTestFile(u)).sort(),
      });
    }
  }
  return result;
}

/** The declarations of `own` that their module refers to elsewhere than where it declares or exports them. */
function localUses(sf: ts.SourceFile, checker: ts.TypeChecker, own: Declared[]): Set<Declared> {
  const bySymbol = new Map<ts.Symbol, Declared>();
  const byName = new Map<string, Declared>();
  for (const d of own) {
    const at = d.nameNode ?? (ts.isExportSpecifier(d.node) ? (d.node.propertyName ?? d.node.name) : null);
    const symbol = at && (ts.isExportSpecifier(d.node) ? checker.getExportSpecifierLocalTargetSymbol(d.node) : checker.getSymbolAtLocation(at));
    if (symbol) bySymbol.set(symbol, d);
    byName.set(d.nameNode && ts.isIdentifier(d.nameNode) ? d.nameNode.text : d.name, d);
  }
  const used = new Set<Declared>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && byName.has(node.text) && !ts.isExportSpecifier(node.parent)) {
      const d = byName.get(node.text)!;
      if (node !== d.nameNode && !used.has(d)) {
        const symbol = checker.getSymbolAtLocation(node);
        const target = symbol && (bySymbol.get(symbol) ?? bySymbol.get(checker.getExportSymbolOfSymbol(symbol)));
        if (target) used.add(target);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return used;
}

/** Names Remix, the server build or an extension's TOML read from a module, by convention. */
const ROUTE_EXPORTS = new Set(["default", "loader", "action", "meta", "links", "headers", "ErrorBoundary", "shouldRevalidate", "handle", "HydrateFallback", "clientLoader", "clientAction", "Layout"]);
export function frameworkReads(file: string, name: string): boolean {
  if (/^app\/routes\/[^/]+\.tsx?$/.test(file) || /^app\/routes\/[^/]+\/route\.tsx$/.test(file) || file === "app/root.tsx") return ROUTE_EXPORTS.has(name);
  if (file === "app/routes.ts") return name === "default";
  // The server entry: Remix reads default / handleError / streamTimeout; server.mjs, scripts/consume-pubsub.mjs and
  // vite.config.ts read the rest through the build (`build.entry.module`).
  if (file === "app/entry.server.tsx") return true;
  // The ingest worker's build entry (vite.ingest-worker.config.ts): ingest-worker.mjs reads `runIngestWorker`.
  if (file === "app/ingest-worker.entry.ts") return name === "runIngestWorker";
  // An extension's targets, named by `module = "./src/…"` in its shopify.extension.toml.
  const extension = /^extensions\/([^/]+)\/src\/(.+)$/.exec(file);
  if (extension && name === "default") {
    const toml = path.join(ROOT, "extensions", extension[1]!, "shopify.extension.toml");
    return fs.existsSync(toml) && fs.readFileSync(toml, "utf8").includes(`module = "./src/${extension[2]}"`);
  }
  return false;
}
