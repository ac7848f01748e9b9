package io.rollcall.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} read as Docker reads it (moby's patternmatcher): {@code *} and {@code ?} stay within one
 * path segment, {@code **} spans any number of them, a pattern that matches a folder leaves out all it holds, a
 * leading {@code !} takes a path back in, and the last pattern that matches decides.
 */
record DockerIgnore(List<Rule> rules) {

    record Rule(Pattern pattern, boolean exception) {
    }

    static DockerIgnore read(Path file) throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            boolean exception = p.startsWith("!");
            p = p.substring(exception ? 1 : 0).strip().replaceAll("^/+", "").replaceAll("/+$", "");
            rules.add(new Rule(Pattern.compile(regex(p)), exception));
        }
        return new DockerIgnore(rules);
    }

    /** Whether {@code path} (relative to the context, {@code /}-separated) stays out of the build context. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesItOrAParent(rule.pattern(), path)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    private static boolean matchesItOrAParent(Pattern pattern, String path) {
        String[] segments = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (String segment : segments) {
            prefix.append(prefix.isEmpty() ? "" : "/").append(segment);
            if (pattern.matcher(prefix).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean dirs = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                regex.append(dirs ? "(?:.*/)?" : ".*");
                i += dirs ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
