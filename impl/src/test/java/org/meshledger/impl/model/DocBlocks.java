package org.meshledger.impl.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads named fenced blocks out of the Markdown docs, so tests check what the docs say. A block is named by
 * the second word of its info string: {@code ```vector transaction.data} or {@code ```json genesis-example}.
 */
final class DocBlocks {
  private DocBlocks() {}

  /** The project's {@code docs} directory: the first ancestor of the working directory that has one beside a pom.xml. */
  static Path docsDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p.resolve("docs");
      }
    }
    throw new IllegalStateException("no docs directory above " + Path.of("").toAbsolutePath());
  }

  /** Named blocks of {@code docs/<file>} whose info string starts with {@code language}, by name, in order. */
  static Map<String, String> read(String file, String language) {
    List<String> lines;
    try {
      lines = Files.readAllLines(docsDir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> blocks = new LinkedHashMap<>();
    String name = null;
    StringBuilder body = new StringBuilder();
    for (String line : lines) {
      if (name == null) {
        String[] info = line.strip().split("\\s+");
        if (info.length == 2 && info[0].equals("```" + language)) {
          name = info[1];
          body.setLength(0);
        }
      } else if (line.strip().equals("```")) {
        if (blocks.put(name, body.toString()) != null) {
          throw new IllegalStateException(file + " names two blocks '" + name + "'");
        }
        name = null;
      } else {
        body.append(line).append('\n');
      }
    }
    if (name != null) {
      throw new IllegalStateException(file + ": block '" + name + "' is not closed");
    }
    return blocks;
  }

  /** The hex of a vector block: comments (from '#') and white space removed. */
  static String hex(String block) {
    StringBuilder out = new StringBuilder();
    for (String line : block.split("\n")) {
      int hash = line.indexOf('#');
      out.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s", ""));
    }
    if (!out.toString().matches("[0-9a-f]*")) {
      throw new IllegalStateException("not lower-case hex: " + out);
    }
    return out.toString();
  }
}
