package dev.apikeyauth.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.Markdown;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents stand alone: the README is a landing page one link away from every guide under
 * {@code docs/}, and no link or path in them leads to a file that is missing or outside the
 * repository (a clone has nothing beside it).
 */
class DocsTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path README = ROOT.resolve("README.md");
    static final int README_MAX_BYTES = 12 * 1024;
    /** A scheme ({@code https:}, {@code mailto:}): a link that leaves the repository on purpose. */
    static final Pattern EXTERNAL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    /** A relative path that climbs: {@code ../x}, {@code ../../x}. */
    static final Pattern CLIMBING_PATH = Pattern.compile("(?<![\\w.])(?:\\.\\./)+[\\w.{}$/-]*");
    /** The folder the project's CI machine keeps beside the checkout. Written so this file does not match itself. */
    static final Pattern SHARED_FOLDER = Pattern.compile("\\.\\./shared\\b|(?<![\\w.-])shared/");

    /** README.md, SECURITY.md, every Markdown file under docs/ and bench/. */
    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(README, ROOT.resolve("SECURITY.md")));
        for (String folder : List.of("docs", "bench")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(folder))) {
                files.filter(f -> f.toString().endsWith(".md") && !f.startsWith(ROOT.resolve("bench/out")))
                        .sorted().forEach(documents::add);
            }
        }
        return documents;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    static String name(Path file) {
        return ROOT.relativize(file).toString();
    }

    @Test
    void everyRelativeLink_resolvesToAFileInTheRepository_andToAHeadingOfIt() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            for (String target : Markdown.linkTargets(read(document))) {
                String problem = problem(document, target);
                if (problem != null) {
                    broken.add(name(document) + ": (" + target + ") " + problem);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** What is wrong with a link from {@code document} to {@code target}, or null. */
    static String problem(Path document, String target) throws IOException {
        if (EXTERNAL.matcher(target).matches()) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        if (path.startsWith("/")) {
            return "is absolute: it works on GitHub only; write it relative to the document";
        }
        Path file = path.isEmpty() ? document : document.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT)) {
            return "leads outside the repository";
        }
        if (!Files.exists(file)) {
            return "names no file in the repository";
        }
        if (anchor != null && !anchor.isEmpty() && file.toString().endsWith(".md")
                && !Markdown.anchors(read(file)).contains(anchor)) {
            return "names no heading of " + name(file) + " (headings: " + Markdown.anchors(read(file)) + ")";
        }
        return null;
    }

    /**
     * The guides under docs/ may be read where only docs/ is (a docs site, a copy of the folder):
     * their links stay among its Markdown documents, and name the README, SECURITY.md, the
     * repository's scripts and bench/ files as text instead.
     */
    @Test
    void guidesUnderDocs_linkOnlyToDocuments_notIntoTheRestOfTheRepository() throws IOException {
        List<String> wrong = new ArrayList<>();
        Path docs = ROOT.resolve("docs");
        for (Path document : documents()) {
            if (!document.startsWith(docs)) {
                continue;
            }
            for (String target : Markdown.linkTargets(read(document))) {
                String path = target.replaceFirst("#.*", "");
                if (EXTERNAL.matcher(target).matches() || path.isEmpty()) {
                    continue;
                }
                Path file = document.getParent().resolve(path).normalize();
                // Not even to the README: a guide may be read where docs/ is all there is.
                if (!(file.startsWith(docs) && path.endsWith(".md"))) {
                    wrong.add(name(document) + ": " + target);
                }
            }
        }
        assertEquals(List.of(), wrong, "links from docs/ that leave the documents");
    }

    @Test
    void noDocument_namesAPathOutsideTheRepository_evenInCode() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path document : documents()) {
            String text = read(document);
            Matcher climbing = CLIMBING_PATH.matcher(text);
            while (climbing.find()) {
                if (!document.getParent().resolve(climbing.group()).normalize().startsWith(ROOT)) {
                    outside.add(name(document) + ": " + climbing.group());
                }
            }
            Matcher shared = SHARED_FOLDER.matcher(text);
            while (shared.find()) {
                outside.add(name(document) + ": " + line(text, shared.start()));
            }
        }
        assertEquals(List.of(), outside, "a clone of the repository has nothing beside it");
    }

    @Test
    void noFile_pointsAtTheFolderBesideTheRepository_butTheCiScriptThatUsesItsTool() throws IOException {
        // .ci/run calls a tool of the CI machine that lives beside the checkout; that is plumbing,
        // not something a reader is sent to. Everything else must do without it.
        Set<Path> skipped = Set.of(ROOT.resolve(".git"), ROOT.resolve("target"), ROOT.resolve("bench/out"),
                ROOT.resolve("scripts/lint/node_modules"));
        Pattern outside = Pattern.compile("\\.\\./shared\\b");
        List<String> found = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return skipped.contains(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && attributes.size() < 1 << 20 && !file.equals(ROOT.resolve(".ci/run"))) {
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    Matcher shared = outside.matcher(text);
                    if (shared.find()) {
                        found.add(name(file) + ": " + line(text, shared.start()));
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        assertEquals(List.of(), found);
    }

    @Test
    void everyDocument_isReachableFromTheReadme() throws IOException {
        Set<Path> reached = new LinkedHashSet<>(List.of(README));
        Deque<Path> queue = new ArrayDeque<>(List.of(README));
        while (!queue.isEmpty()) {
            Path document = queue.removeFirst();
            for (String target : Markdown.linkTargets(read(document))) {
                String path = target.replaceFirst("#.*", "");
                if (EXTERNAL.matcher(target).matches() || !path.endsWith(".md")) {
                    continue;
                }
                Path file = document.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
                if (Files.isRegularFile(file) && reached.add(file)) {
                    queue.addLast(file);
                }
            }
        }
        List<String> unreached = documents().stream().filter(d -> !reached.contains(d)).map(DocsTest::name).toList();
        assertEquals(List.of(), unreached, "documents no chain of links from README.md leads to");
    }

    @Test
    void readme_linksTheContract_theSecurityPolicy_andEveryGuideDirectly() throws IOException {
        Set<Path> linked = new LinkedHashSet<>();
        for (String target : Markdown.linkTargets(read(README))) {
            if (!EXTERNAL.matcher(target).matches()) {
                linked.add(ROOT.resolve(target.replaceFirst("#.*", "")).normalize());
            }
        }
        List<Path> expected = new ArrayList<>(List.of(ROOT.resolve("docs/CONTRACT.md"), ROOT.resolve("SECURITY.md")));
        try (Stream<Path> guides = Files.list(ROOT.resolve("docs"))) {
            guides.filter(f -> f.toString().endsWith(".md")).sorted().forEach(expected::add);
        }
        List<String> missing = expected.stream().filter(f -> !linked.contains(f)).map(DocsTest::name).toList();
        assertEquals(List.of(), missing, "the README is the landing page: one link to each");
    }

    @Test
    void readme_staysALandingPage_ofAtMost12KiB() throws IOException {
        long size = Files.size(README);
        assertTrue(size <= README_MAX_BYTES, "README.md is " + size + " bytes; the reference belongs in docs/");
    }

    @Test
    void readme_keepsItsTwoCommands_andCiRunsItsTestCommand() throws IOException {
        String commands = Markdown.codeBlocks(Markdown.section(read(README), "Two commands"), "bash").get(0);
        List<String> lines = commands.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals(List.of("mvn -B -q package -DskipTests && java -jar target/api-key-auth.jar", "mvn -B verify"), lines);
        List<String> ciRun = read(ROOT.resolve(".ci/run")).lines().map(String::strip).toList();
        assertTrue(ciRun.contains(lines.get(1)), ".ci/run does not run the README's test command " + lines.get(1));
    }

    @Test
    void headingAnchors_areGitHubs() {
        String text = "# Keys\n## 2. Keys\n```bash\n# not a heading\n```\n### OpenAPI and `/docs`\n## Keys\n"
                + "## What is in the image, and why\n";
        assertEquals(List.of("keys", "2-keys", "openapi-and-docs", "keys-1", "what-is-in-the-image-and-why"),
                List.copyOf(Markdown.anchors(text)));
        assertEquals(List.of("docs/keys.md#rotating-a-key", "../SECURITY.md"),
                Markdown.linkTargets("See [Rotating](docs/keys.md#rotating-a-key), `[not](a-link.md)` and\n"
                        + "```\n[nor](this.md)\n```\n[policy]: ../SECURITY.md\n"));
    }

    /** The line of {@code text} around {@code offset}, for a message. */
    static String line(String text, int offset) {
        int start = text.lastIndexOf('\n', offset) + 1;
        int end = text.indexOf('\n', offset);
        return text.substring(start, end < 0 ? text.length() : end).strip();
    }
}
