package org.meshledger.samples.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's and the docs' relative links lead somewhere: every link to a file names one that exists, every
 * {@code #anchor} names a heading of its target (as GitHub derives anchors from headings), and every Markdown
 * file a page names in backticks ({@code `docs/ledger.md`}) exists, unless it is build output (under a
 * {@code target/} directory). Links inside code are not links; web addresses are not checked (the build is
 * offline).
 */
class DocLinksTest {
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*(\\S+)");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern NAMED_DOC = Pattern.compile("`([A-Za-z0-9_./-]+\\.md)(?:#[^`]*)?`");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

  @Test
  void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
    Path root = Path.of("").toAbsolutePath().resolve("../..").normalize();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    assertThat(pages).as("README.md and the pages under docs/").hasSizeGreaterThan(10);
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      broken.addAll(brokenLinks(root, page));
    }
    assertThat(broken).as("broken links (page: link: why)").isEmpty();
  }

  @Test
  void aMissingFileOrHeadingIsReportedWithItsPageAndLink(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("target.md"), "# The target\n\n## Status and metrics\n\n## `Code` & more!\n\n## Status and metrics\n");
    Files.writeString(dir.resolve("page.md"), String.join("\n",
        "[fine](target.md) [fine](target.md#status-and-metrics) [fine](target.md#code--more) [fine](target.md#status-and-metrics-1)",
        "[fine](#a-heading-here) [web](https://example.org/x.md) ![image](target.md)",
        "## A heading here",
        "[gone](missing.md) [no such heading](target.md#status) [no such anchor here](#nowhere) see `other.md`",
        "```java",
        "list[i](x) and `missing-in-code.md`",
        "```",
        "[ref]: missing-ref.md"));
    assertThat(brokenLinks(dir, dir.resolve("page.md"))).containsExactly(
        "page.md: missing.md: no such file",
        "page.md: target.md#status: no heading with anchor 'status' (anchors: the-target, status-and-metrics, code--more,"
            + " status-and-metrics-1)",
        "page.md: #nowhere: no heading with anchor 'nowhere' (anchors: a-heading-here)",
        "page.md: `other.md`: no such file",
        "page.md: missing-ref.md: no such file");
  }

  /** The broken links of {@code page}, each as "page: link: why", with the page relative to {@code root}. */
  static List<String> brokenLinks(Path root, Path page) throws IOException {
    List<String> broken = new ArrayList<>();
    String name = root.relativize(page).toString().replace('\\', '/');
    for (String[] link : links(Files.readString(page))) {
      String why = check(root, page, link[0], link[1].equals("named"));
      if (why != null) {
        broken.add(name + ": " + (link[1].equals("named") ? "`" + link[0] + "`" : link[0]) + ": " + why);
      }
    }
    return broken;
  }

  /**
   * Links and definitions outside code, each as {target, "link"}, and Markdown files named in code spans, as
   * {path, "named"}; in the order they appear.
   */
  private static List<String[]> links(String markdown) {
    List<String[]> found = new ArrayList<>();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Map<Integer, String[]> byPosition = new java.util.TreeMap<>();
      Matcher named = NAMED_DOC.matcher(line);
      while (named.find()) {
        if (!named.group(1).matches("(.*/)?target/.*")) {
          byPosition.put(named.start(), new String[] {named.group(1), "named"});
        }
      }
      // code spans blanked out, not removed, so that positions stay those of the line
      String text = INLINE_CODE.matcher(line).replaceAll(m -> " ".repeat(m.group().length()));
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        byPosition.put(m.start(), new String[] {m.group(2), "link"});
      }
      Matcher d = DEFINITION.matcher(text);
      if (d.find()) {
        byPosition.put(d.start(), new String[] {d.group(1), "link"});
      }
      found.addAll(byPosition.values());
    }
    return found;
  }

  /** Why {@code target}, linked from {@code page}, does not resolve; null if it does. */
  private static String check(Path root, Path page, String target, boolean named) {
    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return null; // https:, mailto:, ...: not a file of this repository
    }
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = page;
    if (!file.isEmpty()) {
      resolved = page.getParent().resolve(file).normalize();
      if (named && !Files.exists(resolved)) {
        resolved = root.resolve(file).normalize(); // `docs/ledger.md` in a page under docs/ names it from the top
      }
      if (!Files.exists(resolved)) {
        return "no such file";
      }
    }
    if (anchor == null || named) {
      return null;
    }
    List<String> anchors = anchors(resolved);
    return anchors.contains(anchor) ? null : "no heading with anchor '" + anchor + "' (anchors: " + String.join(", ", anchors) + ")";
  }

  /** The anchors GitHub gives the headings of {@code page}, in order. */
  private static List<String> anchors(Path page) {
    String text;
    try {
      text = Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> anchors = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    Set<String> taken = new HashSet<>();
    boolean fenced = false;
    for (String line : text.split("\n", -1)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher h = HEADING.matcher(line);
      if (fenced || !h.matches()) {
        continue;
      }
      String base = slug(h.group(2));
      int n = seen.merge(base, 1, Integer::sum) - 1;
      String anchor = n == 0 ? base : base + "-" + n;
      if (taken.add(anchor)) {
        anchors.add(anchor);
      }
    }
    return anchors;
  }

  /** GitHub's anchor for a heading: lower case, punctuation dropped (but - and _), spaces to hyphens. */
  static String slug(String heading) {
    String plain = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link in a heading keeps its text
    return plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
  }
}
